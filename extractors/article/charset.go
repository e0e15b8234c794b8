package article

import (
	"bytes"
	"fmt"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// metaCharsetRe finds a charset declared in a <meta charset> or
// <meta http-equiv="Content-Type" content="...; charset=..."> tag.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// metaScanLimit bounds how far into the document a charset declaration is
// searched for. The HTML spec says 1024 bytes, but real pages often put the
// declaration after long blocks of inline scripts.
const metaScanLimit = 16 << 10

// toUTF8 converts body to valid UTF-8. The encoding is taken, in order, from a
// byte order mark, the charset parameter of contentType, and a <meta>
// declaration; undeclared pages are treated as UTF-8 when they mostly decode
// as such and as windows-1252 otherwise. A <meta> declaration is overridden
// when the body is valid UTF-8 containing non-ASCII text: text in a legacy
// encoding practically never is, while pages re-encoded by proxies or
// caches that keep the old declaration are common.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain {
		enc, name = guessEncoding(body)
	}
	if name == "utf-8" {
		body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode page from %s: %w", name, err)
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), nil
}

// guessEncoding picks an encoding, and its canonical name, for a body whose
// encoding was not stated by a BOM or the HTTP header.
func guessEncoding(body []byte) (encoding.Encoding, string) {
	head := body
	if len(head) > metaScanLimit {
		head = head[:metaScanLimit]
	}
	var (
		declared     encoding.Encoding
		declaredName string
	)
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		declared, declaredName = charset.Lookup(string(m[1]))
	}
	valid, invalid := utf8Stats(body)
	switch {
	case declaredName == "utf-8":
		return declared, declaredName
	case invalid == 0 && valid > 0:
		// Declared a legacy charset, but the bytes are clean UTF-8: text
		// in a legacy encoding practically never is.
		return unicode.UTF8, "utf-8"
	case declared != nil:
		return declared, declaredName
	case valid >= invalid:
		return unicode.UTF8, "utf-8"
	default:
		return charmap.Windows1252, "windows-1252"
	}
}

// utf8Stats counts the multi-byte runes that decode correctly and the bytes
// that are not part of a valid UTF-8 sequence.
func utf8Stats(b []byte) (valid, invalid int) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	return valid, invalid
}
