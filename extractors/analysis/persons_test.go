package analysis

import (
	"context"
	"strings"
	"testing"
)

// analyze runs the analyzer on text and fails the test on error.
func analyze(t *testing.T, a *Analyzer, text string) *Result {
	t.Helper()
	res, err := a.Analyze(context.Background(), Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// personEntities returns the person entities of res by name.
func personEntities(res *Result) map[string]Entity {
	out := map[string]Entity{}
	for _, e := range res.Entities {
		if e.Type == "person" {
			out[e.Text] = e
		}
	}
	return out
}

// usArticle opens an article clearly about the United States (named five
// times), for rules that fall back on the article's main actor.
const usArticle = "Washington joins pact\n\nThe United States joined the pact on Monday. U.S. diplomats had lobbied for months, " +
	"and Washington hopes others follow. The White House called it a milestone for America."

// TestPersonEntities checks that person entities combine catalog matches
// with names: titles and roles are stripped from the name and kept as the
// role, the actor comes from the role, surname-only mentions join the full
// name, and capitalised common nouns and descriptions are not persons.
func TestPersonEntities(t *testing.T) {
	a := analyzer(t)
	type wantPerson struct {
		name, role, actor string
		count             int
	}
	for _, tc := range []struct {
		name string
		text string
		want []wantPerson
		not  []string // names that must not be person entities
	}{
		{"title and nationality stripped, role kept",
			"Arms talks\n\nU.S. National Security Adviser Dana Whitlock met allies in Oslo. Whitlock said little.",
			[]wantPerson{{"Dana Whitlock", "U.S. National Security Adviser", "USA", 2}}, nil},
		{"company office before the name",
			"Tech pledge\n\nMicrosoft President Lena Ortmann signed the pledge. Ortmann spoke for ten minutes.",
			[]wantPerson{{"Lena Ortmann", "Microsoft President", "microsoft", 2}}, nil},
		{"catalog office swallowing the title",
			"UN talks\n\nUN Secretary-General Tomas Ekwueme opened the session. Chinese Foreign Ministry spokesperson Liu Hao replied.",
			[]wantPerson{{"Tomas Ekwueme", "UN Secretary-General", "UN", 1}, {"Liu Hao", "Chinese Foreign Ministry spokesperson", "CHN", 1}}, nil},
		{"appositive office of an actor",
			"Agency\n\nMara Quist, executive director of the UN Office on Drugs and Crime, visited Vienna.",
			[]wantPerson{{"Mara Quist", "", "UN", 1}}, nil},
		{"appositive with a modifier",
			"Treaty\n\nOlu Bankole, a senior Nigerian diplomat, criticised the draft.",
			[]wantPerson{{"Olu Bankole", "", "NGA", 1}}, nil},
		{"office of an actor before the name",
			"Council\n\nThe Deputy Secretary General of the Council of Europe, Ilse Brandauer, signed the protocol.",
			[]wantPerson{{"Ilse Brandauer", "", "COE", 1}}, nil},
		{"former officials speak for no one",
			"Talks\n\nFormer French Foreign Minister Paul Vidal criticised the plan.",
			[]wantPerson{{"Paul Vidal", "", "", 1}}, nil},
		{"a chair speaks for the meeting, not the state",
			"Talks\n\n“We have a text,” said Anja Keller, the Swiss ambassador who chaired the group.",
			[]wantPerson{{"Anja Keller", "", "", 1}}, nil},
		{"an office without a state serves the state the article is about",
			usArticle + "\n\nVice President Dana Whitlock said the United States would sign.",
			[]wantPerson{{"Dana Whitlock", "Vice President", "USA", 1}}, nil},
		{"the state named earlier in the paragraph wins",
			usArticle + "\n\nChina has made its view clear. Beijing called the pact divisive, and foreign ministry spokesman Liu Hao repeated the criticism on Friday.",
			[]wantPerson{{"Liu Hao", "", "CHN", 1}}, nil},
		{"a place where the person is does not decide",
			usArticle + "\n\nAfter talks at the Élysée, Vice President Dana Whitlock said the United States would sign.",
			[]wantPerson{{"Dana Whitlock", "Vice President", "", 1}}, nil},
		{"an office of a body outside the catalog",
			usArticle + "\n\nKestrel CEO Amal Haddad said the firm would not sign.",
			[]wantPerson{{"Amal Haddad", "", "", 1}}, nil},
		{"a former office serves no one",
			usArticle + "\n\nFormer National Security Adviser Dana Whitlock said the pact was weak.",
			[]wantPerson{{"Dana Whitlock", "", "", 1}}, nil},
		{"a plain name from prose's person guesses, merged with its surname",
			"Talks\n\nMaria Gonzalez met reporters in Madrid on Monday. Later, Gonzalez left for Brussels.",
			[]wantPerson{{"Maria Gonzalez", "", "", 2}}, nil},
		{"capitalised common nouns are not persons",
			"Malabo\n\nThe Commission urges Member States to ratify. States Parties must set up data protection authorities, and member states must report to the Commission every year.",
			nil, []string{"Member States", "States Parties"}},
		{"a description is not a person",
			"Rights\n\n“The text is better,” said a Nairobi-based researcher who followed the talks.",
			nil, []string{"Nairobi-based researcher"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := personEntities(analyze(t, a, tc.text))
			for _, w := range tc.want {
				e, ok := got[w.name]
				if !ok {
					t.Errorf("no person %q in %+v", w.name, got)
					continue
				}
				if w.role != "" && e.Role != w.role {
					t.Errorf("%s: role %q, want %q", w.name, e.Role, w.role)
				}
				if e.Actor != w.actor {
					t.Errorf("%s: actor %q, want %q", w.name, e.Actor, w.actor)
				}
				if e.Count != w.count {
					t.Errorf("%s: count %d, want %d", w.name, e.Count, w.count)
				}
			}
			for _, n := range tc.not {
				if _, ok := got[n]; ok {
					t.Errorf("%q reported as a person", n)
				}
			}
		})
	}
}

// TestQuoteSpeakerActors checks that quotation speakers map to the actor
// they speak for through their role, description or surname.
func TestQuoteSpeakerActors(t *testing.T) {
	a := analyzer(t)
	for _, tc := range []struct {
		name, text     string
		speaker, actor string
	}{
		{"role of an intergovernmental body",
			"UN\n\n“Cyberspace needs rules,” UN Secretary-General Tomas Ekwueme said.",
			"Tomas Ekwueme", "UN"},
		{"company office",
			"Pledge\n\n“We will sign,” said Microsoft President Lena Ortmann.",
			"Lena Ortmann", "microsoft"},
		{"unnamed spokesperson of a body",
			"Visa\n\n“The rules have not changed,” a State Department spokesperson said.",
			"State Department spokesperson", "USA"},
		{"surname after the full name with its role",
			"Pledge\n\nMicrosoft President Lena Ortmann arrived late.\n\n“We will sign,” Ortmann said.",
			"Lena Ortmann", "microsoft"},
		{"possessive actor before the name",
			"Rights\n\nHuman Rights Watch’s Ines Caldera read the letter.\n\n“This treaty is dangerous,” Caldera said.",
			"Ines Caldera", "human-rights-watch"},
		{"an unnamed official of the government the article is about",
			usArticle + "\n\n“We will sign next week,” a senior administration official told reporters.",
			"senior administration official", "USA"},
		{"a based-in place is no affiliation",
			"Rights\n\n“The text is better,” said a Nairobi-based researcher.",
			"Nairobi-based researcher", ""},
		{"organisations speaking together have no single actor",
			"Rights\n\nIn a letter, Human Rights Watch, Access Now and dozens of other groups urged states to vote no.\n\n“This treaty is dangerous,” the groups wrote.",
			"Human Rights Watch, Access Now and other groups", ""},
		{"a statement speaks for its issuer",
			"Pledge\n\n“We will sign,” Microsoft said in a statement. “Other companies should too,” the statement said.",
			"Microsoft", "microsoft"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := analyze(t, a, tc.text)
			var q *Quote
			for i := range res.Quotes {
				if res.Quotes[i].Speaker == tc.speaker {
					q = &res.Quotes[i]
				}
			}
			if q == nil {
				var got []string
				for _, q := range res.Quotes {
					got = append(got, q.Speaker+" ("+q.Rule+")")
				}
				t.Fatalf("no quote by %q; speakers: %s", tc.speaker, strings.Join(got, "; "))
			}
			if q.Actor != tc.actor {
				t.Errorf("actor %q, want %q", q.Actor, tc.actor)
			}
		})
	}
}

// TestThreePersonsShareASurname is a regression test: a third person with
// a surname already ambiguous crashed the index.
func TestThreePersonsShareASurname(t *testing.T) {
	idx := &personIndex{byName: map[string]*person{}, byLast: map[string]*person{}}
	for _, n := range []string{"Anna Berg", "Carl Berg", "Dora Berg"} {
		idx.learn(n, "", "")
	}
	if p, ok := idx.byLast["Berg"]; !ok || p != nil {
		t.Errorf("byLast[Berg] = %v, %v; want ambiguous (nil)", p, ok)
	}
	if len(idx.byName) != 3 {
		t.Errorf("%d persons, want 3", len(idx.byName))
	}
}
