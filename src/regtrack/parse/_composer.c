/* regtrack.parse._composer: a YAML document composed into PyYAML's node classes straight from
 * libyaml's events (issue 29).
 *
 * Why: PyYAML's CParser composes a node in Cython that calls back into Python for every node
 * (two Mark objects, the node's __init__, the resolver), which made composing half of a cold
 * `validate`. This composer makes the same tree, with the same classes, tags, values, styles
 * and positions, from libyaml (regtrack.parse.reader uses it only when this libyaml and
 * PyYAML's are both 0.2.5 or later; tests/parse/test_composer.py compares the two trees on
 * every fixture and on generated documents). It is optional: without it, or when it declines
 * a document, the reader composes with PyYAML.
 *
 * What it mirrors of PyYAML's CParser.get_single_node (yaml/_yaml.pyx), with regtrack's
 * resolver (regtrack.parse.reader._Loader):
 *   - a node whose tag is absent or "!" is resolved: it counts towards the node limit (the
 *     resolver's count, which raises the given exception past the limit) and takes the
 *     configured str, seq or map tag; an explicit tag is kept as libyaml gives it;
 *   - a scalar's style is '', "'", '"', '|' or '>'; a collection's flow_style True, False or
 *     None; start and end marks carry libyaml's index, line and column;
 *   - an alias is the anchored node itself, registered when its event starts (so that an
 *     alias inside its own anchor makes a cycle, as PyYAML's does);
 *   - every error (libyaml's, an undefined alias, a duplicate anchor, a second document), a
 *     document nested more than MAX_DEPTH deep, a text with a byte-order mark and one of
 *     4 GiB or more raise Decline, and the reader composes the file again with PyYAML, whose
 *     exception then carries the message, line and column the user reads. Errors are rare;
 *     their wording is PyYAML's alone.
 * It keeps its own stack of open collections (no C recursion), at most MAX_DEPTH deep.
 */

#define _GNU_SOURCE  /* memmem */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <structmember.h>
#include <yaml.h>

/* ---- Mark: the position of a node, as yaml._yaml.Mark has it ----------------------------- */

/* A node has two, a registry of 10,000 obligations 1.4 million: 32 bytes each, not 48. The
 * positions fit in 32 bits (regtrack reads files of at most 16 MiB) and the name is the same
 * for every mark, CParser's name for text input. */
typedef struct {
    PyObject_HEAD
    unsigned int index;
    unsigned int line;
    unsigned int column;
} Mark;

static PyObject *stream_name;      /* "<unicode string>" */

static void
Mark_dealloc(Mark *self)
{
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Mark_none(PyObject *self, void *closure)
{
    Py_RETURN_NONE;
}

static PyObject *
Mark_name(PyObject *self, void *closure)
{
    Py_INCREF(stream_name);
    return stream_name;
}

static PyObject *
Mark_get_snippet(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyObject *
Mark_str(Mark *self)
{
    return PyUnicode_FromFormat("  in \"%U\", line %u, column %u", stream_name,
                                self->line + 1, self->column + 1);
}

static PyMemberDef Mark_members[] = {
    {"index", T_UINT, offsetof(Mark, index), READONLY, NULL},
    {"line", T_UINT, offsetof(Mark, line), READONLY, NULL},
    {"column", T_UINT, offsetof(Mark, column), READONLY, NULL},
    {NULL},
};

static PyGetSetDef Mark_getset[] = {
    {"name", Mark_name, NULL, NULL, NULL},
    {"buffer", Mark_none, NULL, NULL, NULL},
    {"pointer", Mark_none, NULL, NULL, NULL},
    {NULL},
};

static PyMethodDef Mark_methods[] = {
    {"get_snippet", Mark_get_snippet, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject MarkType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "regtrack.parse._composer.Mark",
    .tp_basicsize = sizeof(Mark),
    .tp_dealloc = (destructor)Mark_dealloc,
    .tp_str = (reprfunc)Mark_str,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Where a node starts or ends: name, index, line, column (0-based), as PyYAML's.",
    .tp_members = Mark_members,
    .tp_getset = Mark_getset,
    .tp_methods = Mark_methods,
};

/* ---- what configure() gives: PyYAML's node classes, the resolved tags, the limit's error -- */

static PyObject *Decline;          /* this module's exception: compose with PyYAML instead */
static PyObject *scalar_class, *sequence_class, *mapping_class;
static PyObject *str_tag, *seq_tag, *map_tag;
static PyObject *too_large;        /* raised past the node limit, as the resolver raises it */
static PyObject *s_tag, *s_value, *s_start_mark, *s_end_mark, *s_style, *s_flow_style;
static PyObject *styles[6];        /* by yaml_scalar_style_t */
static PyObject *empty;            /* () */

static PyObject *
configure(PyObject *module, PyObject *args)
{
    PyObject *classes[3], *tags[3], *error;
    if (!PyArg_ParseTuple(args, "O!O!O!UUUO:configure", &PyType_Type, &classes[0],
                          &PyType_Type, &classes[1], &PyType_Type, &classes[2], &tags[0],
                          &tags[1], &tags[2], &error))
        return NULL;
    PyObject **slots[] = {&scalar_class, &sequence_class, &mapping_class,
                          &str_tag, &seq_tag, &map_tag, &too_large};
    PyObject *values[] = {classes[0], classes[1], classes[2], tags[0], tags[1], tags[2], error};
    for (int i = 0; i < 7; i++) {
        Py_INCREF(values[i]);
        Py_XSETREF(*slots[i], values[i]);
    }
    Py_RETURN_NONE;
}

/* The deepest nesting composed here; deeper documents are PyYAML's to compose. libyaml 0.2.5
 * has no limit, and the libyaml PyYAML's wheels carry stops at 1000 levels with an error: a
 * document between the two would be a tree here and an error there. A registry is six deep. */
#define MAX_DEPTH 500

/* ---- the composer ----------------------------------------------------------------------- */

typedef struct {
    PyObject *node;   /* the open collection (owned until it ends and is attached) */
    PyObject *items;  /* its value list (borrowed: the node holds it) */
    PyObject *key;    /* a mapping's key waiting for its value (owned), or NULL */
    int mapping;
} Open;

typedef struct {
    yaml_parser_t parser;
    yaml_event_t event;
    int has_event;
    PyObject *anchors;  /* anchor name -> node */
    Open *stack;
    Py_ssize_t depth, room;
    Py_ssize_t nodes, limit;
    PyObject *root;     /* owned */
} Composer;

static PyObject *
new_mark(yaml_mark_t mark)
{
    Mark *self = PyObject_New(Mark, &MarkType);
    if (self == NULL)
        return NULL;
    self->index = (unsigned int)mark.index;
    self->line = (unsigned int)mark.line;
    self->column = (unsigned int)mark.column;
    return (PyObject *)self;
}

/* An instance of `cls` with its five attributes set in the order its __init__ sets them, as
 * PyYAML's Node.__init__ does (tag, value, start_mark, end_mark, style or flow_style): the
 * classes' __init__ only assigns them. Steals `value`; NULL `end` makes end_mark None. */
static PyObject *
new_node(PyTypeObject *cls, PyObject *tag, PyObject *value, yaml_mark_t *start,
         yaml_mark_t *end, PyObject *last_name, PyObject *last)
{
    PyObject *names[5] = {s_tag, s_value, s_start_mark, s_end_mark, last_name};
    PyObject *values[5] = {tag, value, new_mark(*start), end ? new_mark(*end) : Py_None, last};
    Py_INCREF(tag);
    Py_INCREF(last);
    if (!end)
        Py_INCREF(Py_None);
    /* tp_new (object.__new__), not tp_alloc: it lays out the instance's attributes inline
     * (CPython 3.11's managed dict), where set attributes on a bare allocation make a dict
     * for each node, which cost a third of the time */
    PyObject *node = (value && values[2] && values[3]) ? cls->tp_new(cls, empty, NULL) : NULL;
    for (int i = 0; i < 5; i++) {
        if (node != NULL && PyObject_GenericSetAttr(node, names[i], values[i]) < 0)
            Py_CLEAR(node);
        Py_XDECREF(values[i]);
    }
    return node;
}

static int
decline(void)
{
    PyErr_SetNone(Decline);
    return -1;
}

/* The tag of a node: the resolver's (counted towards the limit) when the event has none or
 * "!", else the event's own. A new reference. */
static PyObject *
tag_of(Composer *c, yaml_char_t *tag, PyObject *resolved)
{
    if (tag == NULL || (tag[0] == '!' && tag[1] == '\0')) {
        if (++c->nodes > c->limit) {
            PyErr_SetNone(too_large);
            return NULL;
        }
        Py_INCREF(resolved);
        return resolved;
    }
    return PyUnicode_FromString((const char *)tag);
}

/* A node composed: the root, an item of the open sequence, or half of a mapping's pair. */
static int
attach(Composer *c, PyObject *node)
{
    if (c->depth == 0) {
        if (c->root != NULL)  /* a second node at the top: cannot happen in one document */
            return decline();
        Py_INCREF(node);
        c->root = node;
        return 0;
    }
    Open *open = &c->stack[c->depth - 1];
    if (!open->mapping)
        return PyList_Append(open->items, node);
    if (open->key == NULL) {
        Py_INCREF(node);
        open->key = node;
        return 0;
    }
    PyObject *pair = PyTuple_Pack(2, open->key, node);
    Py_CLEAR(open->key);
    if (pair == NULL)
        return -1;
    int result = PyList_Append(open->items, pair);
    Py_DECREF(pair);
    return result;
}

/* Registers a new node's anchor; a second node with the same anchor declines. */
static int
anchor(Composer *c, yaml_char_t *name, PyObject *node)
{
    if (name == NULL)
        return 0;
    PyObject *key = PyUnicode_FromString((const char *)name);
    if (key == NULL)
        return -1;
    int known = PyDict_Contains(c->anchors, key);
    int result = known < 0 ? -1 : known ? decline() : PyDict_SetItem(c->anchors, key, node);
    Py_DECREF(key);
    return result;
}

static int
anchored(Composer *c, yaml_char_t *name)
{
    if (name == NULL)
        return 0;
    PyObject *key = PyUnicode_FromString((const char *)name);
    if (key == NULL)
        return -1;
    int known = PyDict_Contains(c->anchors, key);
    Py_DECREF(key);
    return known < 0 ? -1 : known ? decline() : 0;
}

static int
scalar(Composer *c, yaml_event_t *e)
{
    if (anchored(c, e->data.scalar.anchor) < 0)
        return -1;
    PyObject *value = PyUnicode_DecodeUTF8((const char *)e->data.scalar.value,
                                           (Py_ssize_t)e->data.scalar.length, "strict");
    if (value == NULL)
        return -1;
    PyObject *tag = tag_of(c, e->data.scalar.tag, str_tag);
    if (tag == NULL) {
        Py_DECREF(value);
        return -1;
    }
    int style = e->data.scalar.style;
    PyObject *shown = (style >= 0 && style < 6) ? styles[style] : Py_None;
    PyObject *node = new_node((PyTypeObject *)scalar_class, tag, value, &e->start_mark,
                              &e->end_mark, s_style, shown);
    Py_DECREF(tag);
    if (node == NULL)
        return -1;
    int result = anchor(c, e->data.scalar.anchor, node) < 0 ? -1 : attach(c, node);
    Py_DECREF(node);
    return result;
}

static int
start(Composer *c, yaml_event_t *e, int mapping)
{
    yaml_char_t *name = mapping ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
    yaml_char_t *tag_name = mapping ? e->data.mapping_start.tag : e->data.sequence_start.tag;
    int style = mapping ? (int)e->data.mapping_start.style : (int)e->data.sequence_start.style;
    int flow = mapping ? YAML_FLOW_MAPPING_STYLE : YAML_FLOW_SEQUENCE_STYLE;
    int block = mapping ? YAML_BLOCK_MAPPING_STYLE : YAML_BLOCK_SEQUENCE_STYLE;
    if (c->depth >= MAX_DEPTH)
        return decline();
    if (anchored(c, name) < 0)
        return -1;
    PyObject *tag = tag_of(c, tag_name, mapping ? map_tag : seq_tag);
    if (tag == NULL)
        return -1;
    PyObject *items = PyList_New(0);
    PyObject *flow_style = style == flow ? Py_True : style == block ? Py_False : Py_None;
    PyObject *node = new_node((PyTypeObject *)(mapping ? mapping_class : sequence_class), tag,
                              items, &e->start_mark, NULL, s_flow_style, flow_style);
    Py_DECREF(tag);
    if (node == NULL)
        return -1;
    if (anchor(c, name, node) < 0) {
        Py_DECREF(node);
        return -1;
    }
    if (c->depth == c->room) {
        Py_ssize_t room = c->room ? c->room * 2 : 64;
        Open *grown = PyMem_Realloc(c->stack, (size_t)room * sizeof(Open));
        if (grown == NULL) {
            Py_DECREF(node);
            PyErr_NoMemory();
            return -1;
        }
        c->stack = grown;
        c->room = room;
    }
    /* the open node is held by this reference until it ends and is attached */
    c->stack[c->depth++] = (Open){node, items, NULL, mapping};
    return 0;
}

static int
end(Composer *c, yaml_event_t *e)
{
    if (c->depth == 0)
        return decline();
    Open open = c->stack[--c->depth];
    int result = open.key != NULL ? decline() : 0;  /* a key without its value: cannot happen */
    Py_XDECREF(open.key);
    if (result == 0) {
        PyObject *mark = new_mark(e->end_mark);
        result = mark ? PyObject_GenericSetAttr(open.node, s_end_mark, mark) : -1;
        Py_XDECREF(mark);
    }
    if (result == 0)
        result = attach(c, open.node);
    Py_DECREF(open.node);
    return result;
}

static int
alias(Composer *c, yaml_event_t *e)
{
    PyObject *key = PyUnicode_FromString((const char *)e->data.alias.anchor);
    if (key == NULL)
        return -1;
    PyObject *node = PyDict_GetItemWithError(c->anchors, key);
    Py_DECREF(key);
    if (node == NULL)
        return PyErr_Occurred() ? -1 : decline();
    return attach(c, node);
}

/* Composes the events; 0 at the end of the stream, -1 with an exception set. */
static int
run(Composer *c)
{
    int documents = 0;
    for (unsigned long events = 1;; events++) {
        /* Python runs signal handlers between its own instructions, never inside this loop:
         * a Ctrl-C or a SIGTERM during a large file waits at most 4096 events, not the file */
        if (events % 4096 == 0 && PyErr_CheckSignals() < 0)
            return -1;
        if (!yaml_parser_parse(&c->parser, &c->event)) {
            if (c->parser.error == YAML_MEMORY_ERROR) {
                PyErr_NoMemory();
                return -1;
            }
            return decline();
        }
        c->has_event = 1;
        yaml_event_t *e = &c->event;
        int result = 0;
        switch (e->type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        case YAML_DOCUMENT_START_EVENT:
            result = ++documents > 1 ? decline() : 0;  /* "expected a single document" */
            break;
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(e);
            c->has_event = 0;
            return 0;
        case YAML_ALIAS_EVENT:
            result = alias(c, e);
            break;
        case YAML_SCALAR_EVENT:
            result = scalar(c, e);
            break;
        case YAML_SEQUENCE_START_EVENT:
            result = start(c, e, 0);
            break;
        case YAML_MAPPING_START_EVENT:
            result = start(c, e, 1);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            result = end(c, e);
            break;
        default:
            result = decline();
        }
        yaml_event_delete(e);
        c->has_event = 0;
        if (result < 0)
            return -1;
    }
}

static PyObject *
compose(PyObject *module, PyObject *args)
{
    PyObject *text, *bytes = NULL;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "Un:compose", &text, &limit))
        return NULL;
    if (scalar_class == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "regtrack.parse._composer is not configured");
        return NULL;
    }
    const char *data;
    Py_ssize_t size;
    if (PyUnicode_IS_ASCII(text)) {  /* the text's own bytes: nothing copied */
        data = PyUnicode_AsUTF8AndSize(text, &size);
    } else {  /* a copy for this call only (AsUTF8 would keep one as long as the text) */
        bytes = PyUnicode_AsUTF8String(text);
        data = bytes ? PyBytes_AS_STRING(bytes) : NULL;
        size = bytes ? PyBytes_GET_SIZE(bytes) : 0;
    }
    if (data == NULL)
        return NULL;
    /* Positions are kept in 32 bits (Mark): a larger text is PyYAML's (regtrack reads none) */
    if ((size_t)size > UINT_MAX) {
        Py_XDECREF(bytes);
        decline();
        return NULL;
    }
    /* A byte-order mark: libyaml 0.2.5 counts it as a column where the libyaml of PyYAML's
     * wheels skips it, so every position on its line differs. PyYAML's to compose. */
    if (memmem(data, (size_t)size, "\xEF\xBB\xBF", 3) != NULL) {
        Py_XDECREF(bytes);
        decline();
        return NULL;
    }
    Composer c = {0};
    c.limit = limit;
    c.anchors = PyDict_New();
    if (c.anchors == NULL || !yaml_parser_initialize(&c.parser)) {
        Py_XDECREF(c.anchors);
        Py_XDECREF(bytes);
        return PyErr_NoMemory();
    }
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)data, (size_t)size);
    yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);  /* as CParser sets it for text */
    int result = run(&c);
    if (c.has_event)
        yaml_event_delete(&c.event);
    yaml_parser_delete(&c.parser);
    for (Py_ssize_t i = 0; i < c.depth; i++) {  /* an error left collections open */
        Py_XDECREF(c.stack[i].key);
        Py_DECREF(c.stack[i].node);
    }
    PyMem_Free(c.stack);
    Py_DECREF(c.anchors);
    Py_XDECREF(bytes);
    if (result < 0) {
        Py_XDECREF(c.root);
        /* Any other error (none is expected: libyaml checks the UTF-8 of values and tags) is
         * PyYAML's to meet and report as it does; the node limit, memory running out and what
         * a signal's handler raised (KeyboardInterrupt, regtrack's SIGTERM) go up as they are */
        if (PyErr_ExceptionMatches(PyExc_Exception) && !PyErr_ExceptionMatches(too_large)
            && !PyErr_ExceptionMatches(Decline) && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
            PyErr_Clear();
            decline();
        }
        return NULL;
    }
    if (c.root == NULL)
        Py_RETURN_NONE;
    return c.root;
}

/* ---- fields(): the walk's common case of a mapping, in C --------------------------------- */

/* fields(pairs, names): the leading pairs of a mapping node's value whose key is a plain
 * ScalarNode (its exact class) tagged str, naming one of `names` for the first time, as a
 * dict from the name to the value node. The reader reads whatever pairs follow the first
 * other one itself (regtrack.parse.reader.Reader.mapping has the same loop in Python, for
 * PyYAML's composer, and tests/test_composer.py compares the two). */
static PyObject *
fields(PyObject *module, PyObject *args)
{
    PyObject *pairs, *names;
    if (!PyArg_ParseTuple(args, "O!O!:fields", &PyList_Type, &pairs, &PyFrozenSet_Type, &names))
        return NULL;
    if (scalar_class == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "regtrack.parse._composer is not configured");
        return NULL;
    }
    PyObject *found = PyDict_New();
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(pairs); i++) {
        PyObject *pair = PyList_GET_ITEM(pairs, i);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2)
            break;
        PyObject *key_node = PyTuple_GET_ITEM(pair, 0);
        if ((PyObject *)Py_TYPE(key_node) != scalar_class)
            break;
        PyObject *tag = PyObject_GetAttr(key_node, s_tag);
        if (tag == NULL)
            goto fail;
        int is_str = PyObject_RichCompareBool(tag, str_tag, Py_EQ);
        Py_DECREF(tag);
        if (is_str < 0)
            goto fail;
        if (!is_str)
            break;
        PyObject *key = PyObject_GetAttr(key_node, s_value);
        if (key == NULL)
            goto fail;
        int known = PyUnicode_CheckExact(key) ? PySet_Contains(names, key) : 0;
        int again = known > 0 ? PyDict_Contains(found, key) : 0;
        int result = known < 0 || again < 0 ? -1
                     : known && !again      ? PyDict_SetItem(found, key, PyTuple_GET_ITEM(pair, 1))
                                            : 1;
        Py_DECREF(key);
        if (result < 0)
            goto fail;
        if (result > 0)
            break;
    }
    return found;
fail:
    Py_DECREF(found);
    return NULL;
}

static PyObject *
libyaml_version(PyObject *module, PyObject *unused)
{
    return PyUnicode_FromString(yaml_get_version_string());
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(ScalarNode, SequenceNode, MappingNode, str_tag, seq_tag, map_tag, TooLarge)"},
    {"compose", compose, METH_VARARGS,
     "compose(text, limit): the document's node, or None; Decline on any error."},
    {"fields", fields, METH_VARARGS,
     "fields(pairs, names): the leading pairs that are known fields, first seen, as a dict."},
    {"libyaml_version", libyaml_version, METH_NOARGS, "The version of libyaml linked."},
    {NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "regtrack.parse._composer",
    "A YAML document composed into PyYAML's nodes from libyaml's events (issue 29).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__composer(void)
{
    if (PyType_Ready(&MarkType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    Decline = PyErr_NewException("regtrack.parse._composer.Decline", NULL, NULL);
    stream_name = PyUnicode_InternFromString("<unicode string>");
    empty = PyTuple_New(0);
    const char *names[] = {"tag", "value", "start_mark", "end_mark", "style", "flow_style"};
    PyObject **interned[] = {&s_tag, &s_value, &s_start_mark, &s_end_mark, &s_style,
                             &s_flow_style};
    for (int i = 0; i < 6; i++)
        *interned[i] = PyUnicode_InternFromString(names[i]);
    /* by yaml_scalar_style_t: any, plain, single-quoted, double-quoted, literal, folded */
    const char *shown[] = {NULL, "", "'", "\"", "|", ">"};
    styles[0] = Py_None;
    Py_INCREF(Py_None);
    for (int i = 1; i < 6; i++)
        styles[i] = PyUnicode_InternFromString(shown[i]);
    for (int i = 0; i < 6; i++)
        if (*interned[i] == NULL || styles[i] == NULL)
            goto fail;
    if (Decline == NULL || stream_name == NULL || empty == NULL)
        goto fail;
    Py_INCREF(Decline);
    if (PyModule_AddObject(module, "Decline", Decline) < 0)
        goto fail;
    Py_INCREF(&MarkType);
    if (PyModule_AddObject(module, "Mark", (PyObject *)&MarkType) < 0)
        goto fail;
    return module;
fail:
    Py_DECREF(module);
    return NULL;
}
