package espnjson

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreForms(t *testing.T) {
	tests := []struct {
		raw  string
		want int
		ok   bool
	}{
		{`"24"`, 24, true},
		{`24`, 24, true},
		{`24.0`, 24, true},
		{`{"value": 20.0, "displayValue": "20"}`, 20, true},
		{`{"displayValue": "17"}`, 17, true},
		{`{}`, 0, false},
		{`null`, 0, false},
		{`""`, 0, false},
		{`"abc"`, 0, false},
		{`[1]`, 0, false},
		{`1e400`, 0, false},
	}
	for _, tt := range tests {
		var doc struct {
			Score Value `json:"score"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"score":`+tt.raw+`}`), &doc), tt.raw)
		n, ok := doc.Score.Score()
		assert.Equal(t, tt.want, n, tt.raw)
		assert.Equal(t, tt.ok, ok, tt.raw)
	}
	n, ok := Value(nil).Score()
	assert.Zero(t, n)
	assert.False(t, ok, "absent")
}

// A Value is kept as sent (null included) and read the way each of the
// service's own fields reads it.
func TestValuesAreKeptAsSent(t *testing.T) {
	var doc struct {
		ID, Name, Null, Flag, Odd, Esc Value
		Absent                         Value
	}
	require.NoError(t, json.Unmarshal([]byte(`{"ID":401437650,"Name":"Atlanta","Null":null,"Flag":true,"Odd":["x"],"Esc":"A\u0026M"}`), &doc))
	assert.Equal(t, `401437650`, string(doc.ID))
	assert.Equal(t, "401437650", doc.ID.Text(), "a number's text")
	assert.Equal(t, "", doc.ID.String(), "not a string")
	assert.Equal(t, "Atlanta", doc.Name.String())
	assert.Equal(t, Number{V: 401437650, OK: true}, doc.ID.Number())
	assert.False(t, doc.Name.Number().OK)
	assert.True(t, doc.Null.Present())
	assert.Equal(t, "", doc.Null.Text())
	assert.False(t, doc.Absent.Present())
	assert.True(t, doc.Flag.Bool())
	assert.False(t, doc.Name.Bool())
	assert.Equal(t, "", doc.Odd.Text())
	assert.Equal(t, "A&M", doc.Esc.String())

	out, err := json.Marshal(map[string]any{"id": doc.ID, "null": doc.Null, "absent": doc.Absent, "name": doc.Name})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":401437650,"null":null,"absent":null,"name":"Atlanta"}`, string(out), "written back as sent")
}
