package feeds

import (
	"bytes"
	"fmt"
	"regexp"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// wideEncoding detects a UTF-16 or UTF-32 document from its byte-order mark
// or, lacking one, from the layout of its leading '<' (XML 1.0, appendix F).
// It returns nil for anything else, which the XML parser handles itself.
func wideEncoding(b []byte) encoding.Encoding {
	has := func(p ...byte) bool { return bytes.HasPrefix(b, p) }
	switch {
	case has(0x00, 0x00, 0xFE, 0xFF), has(0x00, 0x00, 0x00, '<'):
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM)
	case has(0xFF, 0xFE, 0x00, 0x00), has('<', 0x00, 0x00, 0x00):
		return utf32.UTF32(utf32.LittleEndian, utf32.UseBOM)
	case has(0xFE, 0xFF), len(b) >= 4 && b[0] == 0x00 && b[1] == '<' && b[2] == 0x00:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case has(0xFF, 0xFE), len(b) >= 4 && b[0] == '<' && b[1] == 0x00 && b[3] == 0x00:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	return nil
}

// prologEncoding matches the encoding declaration of an XML prolog.
var prologEncoding = regexp.MustCompile(`^(\s*<\?xml[^>]*?\bencoding\s*=\s*)("[^"]*"|'[^']*')`)

// toUTF8 converts a UTF-16 or UTF-32 body to UTF-8 and rewrites its XML
// encoding declaration to match; the feed parsers only detect the feed type
// in ASCII-compatible encodings. Other bodies are returned unchanged.
func toUTF8(body []byte) ([]byte, error) {
	enc := wideEncoding(body)
	if enc == nil {
		return body, nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %T: %w", enc, err)
	}
	return prologEncoding.ReplaceAll(out, []byte(`${1}"utf-8"`)), nil
}
