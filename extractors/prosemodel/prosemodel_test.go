package prosemodel

import "testing"

// TestDocumentSurvivesProsePanics feeds text on which prose v2.0.0's
// contraction splitter panics; Document must return an error, not panic.
func TestDocumentSurvivesProsePanics(t *testing.T) {
	for _, text := range []string{
		"Later ȺȺȺȺȺ's aide agreed.",
		"A\xff\xff\xffc's was bt. Later De V\x02\x00s agreed.",
	} {
		if _, err := Document(text, true); err == nil {
			t.Errorf("%q: no error; prose v2.0.0 panics on it and Document should report that", text)
		}
	}
	doc, err := Document("Peter Singer spoke in Paris.", true)
	if err != nil || len(doc.Tokens()) == 0 {
		t.Fatalf("ordinary text: %v", err)
	}
}
