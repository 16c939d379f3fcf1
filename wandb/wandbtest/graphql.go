package wandbtest

import "net/http"

// serveGraphQL answers POST /graphql.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	s.counters.graphQL.Add(1)
	if s.injectFaults(w, r, GraphQL) {
		return
	}
	if !s.checkKey(r) {
		s.counters.authRejected.Add(1)
		writeJSONError(w, http.StatusUnauthorized, "user is not logged in")
		return
	}
	writeJSONError(w, http.StatusNotImplemented, "graphql: not implemented yet")
}
