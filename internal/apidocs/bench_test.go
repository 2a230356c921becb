package apidocs_test

import (
	"testing"

	"github.com/sports-data/sports-data/api"
	"github.com/sports-data/sports-data/internal/apidocs"
)

// BenchmarkNew is the start-up cost of converting the document.
func BenchmarkNew(b *testing.B) {
	doc := api.OpenAPIYAML()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := apidocs.New(doc); err != nil {
			b.Fatal(err)
		}
	}
}
