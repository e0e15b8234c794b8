package quotes_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/quotes"
)

// extractTimeout bounds how long Extract may take on one fuzz input; whole
// articles take milliseconds.
const extractTimeout = 10 * time.Second

// lengthResolver answers for some phrases and not others, deterministically,
// and records what it was asked.
type lengthResolver struct{ asked map[string]bool }

func (r lengthResolver) SpeakerActor(phrase string) string {
	r.asked[phrase] = true
	if n := len(phrase) % 3; n != 0 {
		return strings.Repeat("actor", n)
	}
	return ""
}

// FuzzExtract checks that Extract returns within extractTimeout, without
// panicking, quotations in text order whose offsets point inside text just
// after an opening mark and span the quoted words, and that the Resolver
// only fills in Actor, for attributed quotations, with its own answers.
//
//	go test -run='^$' -fuzz='^FuzzExtract$' -fuzztime=60s ./extractors/quotes/
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"",
		"\"",
		"“”",
		"\"\"",
		"„",
		"”Backwards“",
		"“We are not there yet,” Lena Harris said.",
		"\"The draft is weak,\" said Omar Bello, who chairs the panel.",
		"Lena Harris spoke first.\n\n\"We will sign,\" Harris, the foreign minister, told Reuters.",
		"“The text is final,” she said, “and we will defend it.”\n\nNo one else spoke.",
		"Jan de Vries was blunt. Later De Vries agreed: “There is no deal on the table.”",
		"Mara Ionescu said that \"no country can do this alone\" and left the room.",
		"The minister said:\n\n“First paragraph of a long statement,\n\n“second paragraph,\n\n“and the end.”",
		"„Wir unterschreiben nicht“, sagte die Ministerin.",
		"According to a State Department spokesperson, “the United States declines.”",
		"“Open ” close “open again “nested” and \"straight \"inner\" marks\"",
		"He said \"yes\"\r\n\r\n\"no,\" she said,  \t \"maybe\"",
		"“Caf\xc3\xa9 \xff\xfe talks,” the envoy said.",
		// Made prose's tokenizer panic (Ⱥ lower-cases to a longer ⱥ), as
		// did invalid UTF-8 in testdata/fuzz/FuzzExtract/93d8f457a78d028c.
		"AȺȺȺc's was bt. Later De V\x02\x00s agreed: “There is no de on the tale.”",
		"\" \" , \" ,\" , \",,\"",
		"The Paris Call, titled “Trust and Security in Cyberspace”, was signed.",
		"“" + strings.Repeat("word, ", 30) + "” Omar Bello said.",
		strings.Repeat("“a” b said. ", 8),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		plain := extractBounded(t, text, nil)
		checkQuotes(t, text, plain)

		r := lengthResolver{asked: make(map[string]bool)}
		resolved := extractBounded(t, text, r)
		if len(resolved) != len(plain) {
			t.Fatalf("with a Resolver, %d quotes; without, %d", len(resolved), len(plain))
		}
		for i, q := range resolved {
			if q.Actor != "" && (q.Speaker == "" || len(r.asked) == 0 || q.Actor != "actor" && q.Actor != "actoractor") {
				t.Errorf("quote %d: Actor %q for speaker %q is not the Resolver's answer", i, q.Actor, q.Speaker)
			}
			// The Resolver only fills in Actor; and Extract is deterministic.
			q.Actor = ""
			if !reflect.DeepEqual(q, plain[i]) {
				t.Errorf("quote %d with a Resolver:\n%+v\nwithout:\n%+v", i, q, plain[i])
			}
		}
	})
}

// extractBounded runs Extract on text and fails t if it does not return
// within extractTimeout. A panic is not recovered and fails the test.
func extractBounded(t *testing.T, text string, r quotes.Resolver) []quotes.Quote {
	t.Helper()
	done := make(chan []quotes.Quote, 1)
	go func() { done <- quotes.Extract(text, r) }()
	timer := time.NewTimer(extractTimeout)
	defer timer.Stop()
	select {
	case qs := <-done:
		return qs
	case <-timer.C:
		t.Fatalf("Extract did not return within %v on %d bytes", extractTimeout, len(text))
		return nil
	}
}

// checkQuotes checks the promises of Extract and Quote on qs, extracted from
// text with a nil Resolver.
func checkQuotes(t *testing.T, text string, qs []quotes.Quote) {
	t.Helper()
	for i, q := range qs {
		if q.Start < 0 || q.Start > q.End || q.End > len(text) {
			t.Fatalf("quote %d: Start, End = %d, %d in a text of %d bytes", i, q.Start, q.End, len(text))
		}
		if i > 0 && q.Start < qs[i-1].Start {
			t.Errorf("quote %d starts at %d, before quote %d at %d", i, q.Start, i-1, qs[i-1].Start)
		}
		if q.Actor != "" {
			t.Errorf("quote %d: Actor %q without a Resolver", i, q.Actor)
		}
		// Start is just inside the opening mark.
		before := text[:q.Start]
		if !strings.HasSuffix(before, `"`) && !strings.HasSuffix(before, "“") && !strings.HasSuffix(before, "„") {
			t.Errorf("quote %d: Start %d does not follow an opening mark: %q", i, q.Start, tail(before, 20))
		}
		span := text[q.Start:q.End]
		if utf8.ValidString(text) && !utf8.ValidString(q.Text) {
			t.Errorf("quote %d: Text %q is not valid UTF-8", i, q.Text)
		}
		// The words of Text are those of the parts, all within the span
		// and in order.
		rest := span
		for _, w := range strings.Fields(q.Text) {
			j := strings.Index(rest, w)
			if j < 0 {
				t.Errorf("quote %d: word %q of Text %q is not in order in text[%d:%d] = %q", i, w, q.Text, q.Start, q.End, span)
				break
			}
			rest = rest[j+len(w):]
		}
		// A span without quotation marks is a single part: Text is its
		// words, trimmed, without trailing commas.
		if !strings.ContainsAny(span, "\"“”„") {
			if want := strings.TrimRight(strings.TrimSpace(span), ","); q.Text != want {
				t.Errorf("quote %d: Text = %q, want %q, the words of text[%d:%d]", i, q.Text, want, q.Start, q.End)
			}
		}
	}
}

// tail returns at most the last n bytes of s.
func tail(s string, n int) string {
	return s[max(0, len(s)-n):]
}
