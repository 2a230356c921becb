package api_test

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/api"
)

func TestDocumentIsValidOpenAPI(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIYAML())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.Equal(t, "3.0.3", doc.OpenAPI)
}

func TestOpenAPIYAMLIsACopy(t *testing.T) {
	a := api.OpenAPIYAML()
	a[0] = 'X'
	require.NotEqual(t, a[0], api.OpenAPIYAML()[0])
}
