package webhook

import (
	"errors"
	"net/http"
	"testing"
)

func signedHeader(secret, id, ts string, body []byte) http.Header {
	hexSig, std := Signatures(secret, id, ts, body)
	h := http.Header{}
	h.Set("X-Webhook-ID", id)
	h.Set("X-Webhook-Timestamp", ts)
	h.Set("X-Webhook-Signature", hexSig)
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", std)
	return h
}

func TestVerify(t *testing.T) {
	const secret = "a-secret-of-sixteen+"
	body := []byte(`{"event":"score_change","event_id":"e1"}`)
	// Known answer, computed independently of this package:
	//   printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret"
	//   printf 'e1.1700000000.%s' "$body" | openssl dgst -sha256 -hmac "$secret" -binary | base64
	hexSig, std := Signatures(secret, "e1", "1700000000", body)
	if hexSig != knownHex || std != "v1,"+knownStd {
		t.Fatalf("Signatures = %s, %s; want %s, v1,%s", hexSig, std, knownHex, knownStd)
	}

	cases := []struct {
		name   string
		secret string
		body   []byte
		edit   func(http.Header)
		want   error
	}{
		{name: "valid", secret: secret, body: body},
		{name: "X-headers absent", secret: secret, body: body, edit: func(h http.Header) {
			h.Del("X-Webhook-ID")
			h.Del("X-Webhook-Timestamp")
		}},
		{name: "rotated secrets: second signature matches", secret: secret, body: body, edit: func(h http.Header) {
			h.Set("webhook-signature", "v1,bm90IGl0 "+h.Get("webhook-signature"))
		}},
		{name: "wrong secret", secret: "another-secret-0123", body: body, want: ErrBodySignature},
		{name: "tampered body", secret: secret, body: []byte(`{"event":"score_change","event_id":"e2"}`), want: ErrBodySignature},
		{name: "no body signature", secret: secret, body: body, edit: func(h http.Header) { h.Del("X-Webhook-Signature") }, want: ErrBodySignature},
		{name: "non-hex body signature", secret: secret, body: body, edit: func(h http.Header) { h.Set("X-Webhook-Signature", "zz") }, want: ErrBodySignature},
		{name: "no webhook-id", secret: secret, body: body, edit: func(h http.Header) { h.Del("webhook-id") }, want: ErrMissingHeaders},
		{name: "no timestamp", secret: secret, body: body, edit: func(h http.Header) { h.Del("webhook-timestamp") }, want: ErrMissingHeaders},
		{name: "ids differ", secret: secret, body: body, edit: func(h http.Header) { h.Set("X-Webhook-ID", "e9") }, want: ErrHeadersDisagree},
		{name: "timestamps differ", secret: secret, body: body, edit: func(h http.Header) { h.Set("X-Webhook-Timestamp", "1700000001") }, want: ErrHeadersDisagree},
		{name: "replayed id", secret: secret, body: body, edit: func(h http.Header) {
			h.Set("webhook-id", "e2")
			h.Set("X-Webhook-ID", "e2")
		}, want: ErrStandardSignature},
		{name: "replayed timestamp", secret: secret, body: body, edit: func(h http.Header) {
			h.Set("webhook-timestamp", "1700000999")
			h.Set("X-Webhook-Timestamp", "1700000999")
		}, want: ErrStandardSignature},
		{name: "wrong version", secret: secret, body: body, edit: func(h http.Header) {
			h.Set("webhook-signature", "v2"+h.Get("webhook-signature")[2:])
		}, want: ErrStandardSignature},
		{name: "no standard signature", secret: secret, body: body, edit: func(h http.Header) { h.Del("webhook-signature") }, want: ErrStandardSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := signedHeader(secret, "e1", "1700000000", body)
			if c.edit != nil {
				c.edit(h)
			}
			if err := Verify(c.secret, h, c.body); !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

const (
	knownHex = "eb1a492e4f5da1732bcb700085d0914ff50e80a8797b95a49b44cebb5d055c1c"
	knownStd = "mBA5NojrnFrowl/Q9DVOBaAhtSRenCod1ET6siMHhnc="
)
