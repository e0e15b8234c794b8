// Package segment splits raw article text into paragraphs and sentences,
// keeping exact byte offsets into the original text.
package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a half-open byte range [Start, End) of a text.
type Span struct {
	Start, End int
}

// Text returns the part of s that sp covers.
func (sp Span) Text(s string) string { return s[sp.Start:sp.End] }

// Sentence is a sentence with the index of its paragraph.
type Sentence struct {
	Span
	Paragraph int
}

// Paragraphs returns the non-blank lines of text, trimmed of surrounding
// white space. Articles separate paragraphs with newlines; a paragraph is
// never split across lines.
func Paragraphs(text string) []Span {
	var out []Span
	start := 0
	for start <= len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if sp, ok := trim(text, start, end); ok {
			out = append(out, sp)
		}
		start = end + 1
	}
	return out
}

func trim(text string, start, end int) (Span, bool) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return Span{start, end}, end > start
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true, "sr": true,
	"gen": true, "sen": true, "rep": true, "gov": true, "lt": true, "col": true, "capt": true, "sgt": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "vs": true,
	"etc": true, "inc": true, "ltd": true, "co": true, "corp": true, "e.g": true, "i.e": true,
	"u.s": true, "u.k": true, "u.n": true, "e.u": true, "a.m": true, "p.m": true, "approx": true,
	"fig": true, "ft": true, "mt": true, "rev": true, "hon": true, "amb": true, "pres": true,
}

// Sentences splits text into sentences. A sentence ends at '.', '!' or '?'
// (with any closing quotes or brackets) followed by white space and an
// upper-case letter, digit or opening quote, unless the period ends a known
// abbreviation or an initial; it always ends at a paragraph end.
func Sentences(text string) []Sentence {
	var out []Sentence
	for pi, p := range Paragraphs(text) {
		start := p.Start
		i := p.Start
		for i < p.End {
			c := text[i]
			if c != '.' && c != '!' && c != '?' {
				i++
				continue
			}
			j := i + 1
			// closing quotes and brackets belong to the sentence.
			for j < p.End {
				r, n := utf8.DecodeRuneInString(text[j:])
				if r == '"' || r == '\'' || r == '”' || r == '’' || r == ')' || r == ']' {
					j += n
					continue
				}
				break
			}
			if j >= p.End {
				break
			}
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsSpace(r) {
				i = j
				continue
			}
			k := j + n
			for k < p.End {
				r2, n2 := utf8.DecodeRuneInString(text[k:])
				if !unicode.IsSpace(r2) {
					break
				}
				k += n2
			}
			if k >= p.End {
				break
			}
			next, _ := utf8.DecodeRuneInString(text[k:])
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || next == '"' || next == '“' || next == '‘' || next == '\'') {
				i = j
				continue
			}
			if c == '.' && isAbbreviation(text[start:i]) {
				i = j
				continue
			}
			if sp, ok := trim(text, start, j); ok {
				out = append(out, Sentence{Span: sp, Paragraph: pi})
			}
			start = k
			i = k
		}
		if sp, ok := trim(text, start, p.End); ok {
			out = append(out, Sentence{Span: sp, Paragraph: pi})
		}
	}
	return out
}

// isAbbreviation reports whether the word ending s (just before a period)
// is an abbreviation or a single-letter initial.
func isAbbreviation(s string) bool {
	k := strings.LastIndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == '“' || r == '"' })
	word := s[k+1:]
	if k >= 0 {
		_, n := utf8.DecodeRuneInString(s[k:])
		word = s[k+n:]
	}
	if word == "" {
		return false
	}
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]) {
		return true // an initial: "John F. Kennedy"
	}
	return abbreviations[strings.ToLower(word)]
}
