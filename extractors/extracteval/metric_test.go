package extracteval

import (
	"math"
	"testing"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		want, got string
		p, r      float64
	}{
		{"a b c d e", "a b c d e", 1, 1},
		{"a b c d e", "a b c d", 1, 0.5},       // got: 1 shingle, want: 2
		{"a b c d", "a b c d x y z w", 0.2, 1}, // 1 of 5 predicted shingles
		{"Hello, world", "hello world", 0, 0},  // case-sensitive
		{"un été à Paris là", "un été à Paris là", 1, 1},
		{"a b c d", "", 0, 0},
		{"", "", 1, 1},
		// A combining mark is no word character in Python: "é" written as
		// e + U+0301 splits the word, on both sides alike.
		{"cafe\u0301 au lait chaud", "cafe\u0301 au lait chaud", 1, 1},
	}
	for _, c := range cases {
		m := Match(c.want, c.got)
		if p, r := m.Precision(), m.Recall(); p != c.p || r != c.r {
			t.Errorf("Match(%q, %q) = P %.2f, R %.2f; want %.2f, %.2f", c.want, c.got, p, r, c.p, c.r)
		}
	}
	if n := len(wordRe.FindAllString("cafe\u0301s au lait", -1)); n != 4 {
		t.Errorf("a combining mark splits a token: got %d tokens, want 4", n)
	}
}

func TestSummarize(t *testing.T) {
	pages := []Counts{
		Match("a b c d e", "a b c d e"), // P 1, R 1
		Match("a b c d e", "a b c d"),   // P 1, R 0.5
		Match("a b c d e", ""),          // nothing extracted: left out of precision, R 0
		Match("", ""),                   // nothing expected or extracted: left out of both
	}
	p, r, f1 := Summarize(pages)
	if p != 1 || math.Abs(r-0.5) > 1e-12 || math.Abs(f1-2.0/3) > 1e-12 {
		t.Errorf("Summarize = P %.4f R %.4f F1 %.4f; want 1, 0.5, 0.6667", p, r, f1)
	}
}
