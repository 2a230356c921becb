// Package api holds the OpenAPI document of the HTTP API, embedded so that
// the binary serves the same document the repository keeps in api/.
package api

import _ "embed"

//go:embed openapi.yaml
var openAPI []byte

// OpenAPIYAML returns the OpenAPI 3.0 document as written (YAML). The slice
// is a copy: callers may keep or change it.
func OpenAPIYAML() []byte {
	return append([]byte(nil), openAPI...)
}
