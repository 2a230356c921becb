package apidocs

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/sports-data/sports-data/api"
)

func TestYAMLToJSONScalars(t *testing.T) {
	src := `
int: 200
quoted: '200'
neg: -7
float: 1.5
bool: true
yes: yes
null_value: null
tilde: ~
date: 2024-01-02
time: '12:34'
pattern: '^[0-9]{1,20}$'
html: "<script>&"
list: [a, 1, false, null]
anchor: &a {x: 1}
alias: *a
`
	out, err := yamlToJSON([]byte(src))
	require.NoError(t, err)
	require.JSONEq(t, `{
		"int": 200, "quoted": "200", "neg": -7, "float": 1.5, "bool": true, "yes": "yes",
		"null_value": null, "tilde": null, "date": "2024-01-02", "time": "12:34",
		"pattern": "^[0-9]{1,20}$", "html": "<script>&",
		"list": ["a", 1, false, null], "anchor": {"x": 1}, "alias": {"x": 1}
	}`, string(out))
}

func TestYAMLToJSONKeepsKeyOrder(t *testing.T) {
	out, err := yamlToJSON([]byte("z: 1\na: 2\nm: {y: 1, b: 2}\n"))
	require.NoError(t, err)
	var compact []byte
	compact, err = compactJSON(out)
	require.NoError(t, err)
	require.Equal(t, `{"z":1,"a":2,"m":{"y":1,"b":2}}`, string(compact))
}

func TestYAMLToJSONRefusesWhatJSONCannotSay(t *testing.T) {
	for name, src := range map[string]string{
		"merge key":     "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
		"duplicate":     "a: 1\na: 2\n",
		"mapping key":   "? {a: 1}\n: x\n",
		"infinity":      "x: .inf\n",
		"invalid yaml":  "a: [1, 2\n",
		"only document": "",
		"alias bomb": "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e]\n" +
			"g: &g [*f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g]\n",
	} {
		_, err := yamlToJSON([]byte(src))
		require.Error(t, err, name)
	}
}

// The converted document decodes to the same values as the YAML does.
func TestYAMLToJSONMatchesYAMLDecoding(t *testing.T) {
	src := api.OpenAPIYAML()
	out, err := yamlToJSON(src)
	require.NoError(t, err)
	var fromJSON any
	require.NoError(t, json.Unmarshal(out, &fromJSON))
	var fromYAML any
	require.NoError(t, yaml.Unmarshal(src, &fromYAML))
	viaJSON, err := json.Marshal(normalize(fromYAML))
	require.NoError(t, err)
	again, err := json.Marshal(fromJSON)
	require.NoError(t, err)
	require.JSONEq(t, string(viaJSON), string(again))
}

// normalize turns yaml.v3's generic values into JSON-marshalable ones.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	}
	return v
}

func compactJSON(b []byte) ([]byte, error) {
	var v json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func FuzzYAMLToJSON(f *testing.F) {
	f.Add(api.OpenAPIYAML())
	f.Add([]byte("a: &x [1, *x]\n"))
	f.Add([]byte("a: {b: [1, 2.5, true, null, '3']}\n"))
	f.Add([]byte("- 0x1F\n- 0o17\n- 1e3\n- .nan\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := yamlToJSON(src)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON from %q: %s", src, out)
		}
	})
}
