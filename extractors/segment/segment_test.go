package segment

import "testing"

func TestSentences(t *testing.T) {
	text := "Headline here\n\nThe U.S. did not sign. Mr. Smith said “No.” Then it rained!\nA new paragraph, with John F. Kennedy. End"
	got := Sentences(text)
	want := []string{
		"Headline here",
		"The U.S. did not sign.",
		"Mr. Smith said “No.”",
		"Then it rained!",
		"A new paragraph, with John F. Kennedy.",
		"End",
	}
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("%q", s.Text(text))
		}
		t.Fatalf("got %d sentences, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Text(text) != want[i] {
			t.Errorf("sentence %d = %q, want %q", i, s.Text(text), want[i])
		}
	}
	if got[4].Paragraph != 2 || got[1].Paragraph != 1 {
		t.Errorf("paragraph indexes = %d, %d; want 2, 1", got[4].Paragraph, got[1].Paragraph)
	}
}

func TestParagraphsOffsets(t *testing.T) {
	text := "  one \n\n\t two\n"
	ps := Paragraphs(text)
	if len(ps) != 2 || ps[0].Text(text) != "one" || ps[1].Text(text) != "two" {
		t.Fatalf("Paragraphs = %v", ps)
	}
}
