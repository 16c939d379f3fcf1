package wandbtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"
)

// maxRequestBody bounds a GraphQL request body.
const maxRequestBody = 1 << 20

// gqlRequest is the JSON body of POST /graphql.
type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// serveGraphQL answers POST /graphql.
//
// Status codes: a body that is not JSON, a query that does not parse or
// validate, an unknown operationName or bad variables are request errors
// and get 400 with {"errors":[...]} and no data, as graphql-go servers do
// (W&B itself answers such requests with 200 or 400). Errors while
// executing (for example first > 1000) get 200 with the data that could be
// computed and the errors, as the GraphQL spec says.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	s.counters.graphQL.Add(1)
	if s.injectFaults(w, r, GraphQL) {
		return
	}
	if !s.requireKey(w, r) {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSONError(w, http.StatusMethodNotAllowed, "use POST for /graphql")
		return
	}
	var req gqlRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, maxRequestBody))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	if req.Query == "" {
		writeJSONError(w, http.StatusBadRequest, "missing query")
		return
	}
	doc, errs := gqlparser.LoadQueryWithRules(schema, req.Query, nil)
	if len(errs) > 0 {
		writeGQLErrors(w, http.StatusBadRequest, uniqueErrors(errs))
		return
	}
	op, err := pickOperation(doc, req.OperationName)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	vars, err := validator.VariableValues(schema, op, req.Variables)
	if err != nil {
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) {
			writeGQLErrors(w, http.StatusBadRequest, gqlerror.List{gerr})
		} else {
			writeJSONError(w, http.StatusBadRequest, err.Error())
		}
		return
	}
	if op.Operation != ast.Query {
		writeJSONError(w, http.StatusBadRequest, "only queries are supported by this server")
		return
	}
	defer func() {
		// A bug here must show up as a GraphQL error in the test that hit
		// it, not as a dropped connection the client would retry.
		if v := recover(); v != nil {
			writeJSONError(w, http.StatusInternalServerError, fmt.Sprintf("internal server error: %v", v))
		}
	}()
	ec := &execCtx{
		s:        s,
		doc:      doc,
		vars:     vars,
		base:     apiBase(r),
		now:      time.Now(),
		wrongMD5: s.faultsFor(GraphQL).WrongMD5,
		buf:      getBuf(),
	}
	body := ec.run(op)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
	putBuf(body)
}

// respBufs recycles response buffers; a page of 1000 files is about 1 MB.
var respBufs sync.Pool

func getBuf() []byte {
	if b, ok := respBufs.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return make([]byte, 0, 64<<10)
}

func putBuf(b []byte) {
	if cap(b) <= 8<<20 {
		respBufs.Put(&b)
	}
}

// pickOperation chooses the operation to run, as the GraphQL spec says:
// the named one, or the only one.
func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, error) {
	if name != "" {
		if op := doc.Operations.ForName(name); op != nil {
			return op, nil
		}
		return nil, errors.New("unknown operation named \"" + name + "\"")
	}
	if len(doc.Operations) != 1 {
		return nil, errors.New("operationName is required when the document holds several operations")
	}
	return doc.Operations[0], nil
}

// uniqueErrors drops repeats: gqlparser checks a fragment's selections
// once per place it meets the fragment, and reports an error in it each
// time. Errors are the same when message and locations are.
func uniqueErrors(errs gqlerror.List) gqlerror.List {
	seen := map[string]bool{}
	out := errs[:0:0]
	for _, e := range errs {
		key := e.Message
		for _, l := range e.Locations {
			key += "\x00" + strconv.Itoa(l.Line) + ":" + strconv.Itoa(l.Column)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out
}

// writeGQLErrors answers {"errors":[{"message", "locations"}...]}.
func writeGQLErrors(w http.ResponseWriter, status int, errs gqlerror.List) {
	b := []byte(`{"errors":[`)
	for i, e := range errs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"message":`...)
		b = appendJSONString(b, e.Message)
		if len(e.Locations) > 0 {
			b = append(b, `,"locations":[`...)
			for j, l := range e.Locations {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"line":`...)
				b = appendInt(b, int64(l.Line))
				b = append(b, `,"column":`...)
				b = appendInt(b, int64(l.Column))
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	b = append(b, "]}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
