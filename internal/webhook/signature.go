package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
)

// Signatures returns the two signatures of a delivery: the hex HMAC-SHA256
// of the body (X-Webhook-Signature) and the Standard Webhooks value
// "v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>" (webhook-signature).
// The key is the secret's bytes as registered.
func Signatures(secret, id, timestamp string, body []byte) (hexSig, standard string) {
	return hex.EncodeToString(bodyMAC(secret, body)), "v1," + base64.StdEncoding.EncodeToString(standardMAC(secret, id, timestamp, body))
}

func bodyMAC(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

func standardMAC(secret, id, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify, one per way a delivery can fail it.
var (
	ErrBodySignature     = errors.New("X-Webhook-Signature does not match the body")
	ErrMissingHeaders    = errors.New("webhook-id or webhook-timestamp missing")
	ErrHeadersDisagree   = errors.New("webhook-id/webhook-timestamp differ from X-Webhook-ID/X-Webhook-Timestamp")
	ErrStandardSignature = errors.New("webhook-signature has no matching v1 signature")
)

// Verify checks a delivery the way a receiver should: both signatures the
// service sends (X-Webhook-Signature over the body, and the Standard
// Webhooks webhook-signature over "<id>.<timestamp>.<body>") with the
// webhook's secret, and that the two header families name the same id and
// timestamp. The comparisons are constant-time. It does not judge the
// timestamp's age: a receiver that wants to refuse replays compares
// webhook-timestamp with its own clock (the service sends the time of each
// attempt; see the package documentation).
func Verify(secret string, h http.Header, body []byte) error {
	got, err := hex.DecodeString(h.Get("X-Webhook-Signature"))
	if err != nil || !hmac.Equal(got, bodyMAC(secret, body)) {
		return ErrBodySignature
	}
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	if id == "" || ts == "" {
		return ErrMissingHeaders
	}
	if x := h.Get("X-Webhook-ID"); x != "" && x != id {
		return ErrHeadersDisagree
	}
	if x := h.Get("X-Webhook-Timestamp"); x != "" && x != ts {
		return ErrHeadersDisagree
	}
	want := standardMAC(secret, id, ts, body)
	// The header may carry several space-separated signatures (a sender
	// rotating secrets); one match is enough.
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		v, b64, ok := strings.Cut(sig, ",")
		if !ok || v != "v1" {
			continue
		}
		if raw, err := base64.StdEncoding.DecodeString(b64); err == nil && hmac.Equal(raw, want) {
			return nil
		}
	}
	return ErrStandardSignature
}
