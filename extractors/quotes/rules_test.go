package quotes

import (
	"strings"
	"testing"
)

// ruleCase is one text written for a rule family and the quotations it must
// yield, in order. A want with an empty speaker only checks the text.
type ruleCase struct {
	name string
	text string
	want []want
}

// runRuleCases checks that Extract returns exactly the wanted quotations.
func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(tc.text, nil)
			if len(got) != len(tc.want) {
				var b strings.Builder
				for _, q := range got {
					b.WriteString("\n\t" + q.Text + " — " + q.Speaker + " (" + q.Evidence + ")")
				}
				t.Fatalf("got %d quotes, want %d:%s", len(got), len(tc.want), b.String())
			}
			for i, w := range tc.want {
				q := got[i]
				if !strings.HasPrefix(q.Text, w.prefix) {
					t.Errorf("quote %d text = %q, want prefix %q", i, q.Text, w.prefix)
				}
				if w.speaker != "" && q.Speaker != w.speaker {
					t.Errorf("quote %d speaker = %q (%s), want %q", i, q.Speaker, q.Evidence, w.speaker)
				}
				checkOffsets(t, tc.text, q)
			}
		})
	}
}

// TestAttributionPlacement covers attribution clauses after the quotation,
// before it, with the verb first, with relative clauses and appositives,
// "according to" and "told <outlet>".
func TestAttributionPlacement(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"name then verb after",
			"Port talks\n\n“The harbour will reopen in May,” Ines Valdez said on Tuesday.",
			[]want{{"The harbour will reopen in May", "Ines Valdez"}}},
		{"verb then name after, relative clause",
			"Port talks\n\n\"Nobody asked the fishermen,\" said Ruben Acosta, who leads the dockworkers' union.",
			[]want{{"Nobody asked the fishermen", "Ruben Acosta"}}},
		{"verb then titled name after",
			"Port talks\n\n“The levy is fair,” said Finance Minister Odile Marchetti.",
			[]want{{"The levy is fair", "Odile Marchetti"}}},
		{"auxiliary between name and verb",
			"Port talks\n\n“We are ready to talk,” Ines Valdez has said repeatedly.",
			[]want{{"We are ready to talk", "Ines Valdez"}}},
		{"introducing clause with colon",
			"Port talks\n\nIn a speech to the chamber, Ines Valdez said: “The harbour belongs to everyone.”",
			[]want{{"The harbour belongs to everyone", "Ines Valdez"}}},
		{"introducing paragraph ending with colon",
			"Port talks\n\nRuben Acosta put it bluntly:\n\n“Without the dockers there is no port.”",
			[]want{{"Without the dockers there is no port", "Ruben Acosta"}}},
		{"said that before a partial quotation",
			"Port talks\n\nOdile Marchetti said that the levy would \"pay for itself within a decade\" once trade recovered.",
			[]want{{"pay for itself within a decade", "Odile Marchetti"}}},
		{"according to after",
			"Port talks\n\n“The cranes are forty years old,” according to Tomasz Wrobel, an engineer at the port.",
			[]want{{"The cranes are forty years old", "Tomasz Wrobel"}}},
		{"according to before",
			"Port talks\n\nAccording to Tomasz Wrobel, \"the cranes will not survive another winter.\"",
			[]want{{"the cranes will not survive another winter", "Tomasz Wrobel"}}},
		{"told an outlet after",
			"Port talks\n\n“We were never consulted,” Ruben Acosta told Reuters.",
			[]want{{"We were never consulted", "Ruben Acosta"}}},
		{"told an outlet before",
			"Port talks\n\nRuben Acosta told the Associated Press: “The union will strike on Monday.”",
			[]want{{"The union will strike on Monday", "Ruben Acosta"}}},
		{"told an outlet with that",
			"Port talks\n\nOdile Marchetti told Reuters that the government \"will not be blackmailed by anyone\".",
			[]want{{"will not be blackmailed by anyone", "Odile Marchetti"}}},
		{"name with appositive then told",
			"Port talks\n\n“Trade is already down a third,” Kofi Mensah, a shipping analyst in Accra, told Reuters.",
			[]want{{"Trade is already down a third", "Kofi Mensah"}}},
		{"a document reads",
			"Port talks\n\n“The port will stay open,” the notice read.",
			[]want{{"The port will stay open", ""}}},
		{"a second speaker introduced after a sentence",
			"Port talks\n\n“The deadline is Friday,” Ines Valdez said. Ruben Acosta added: “We will be ready.”",
			[]want{{"The deadline is Friday", "Ines Valdez"}, {"We will be ready", "Ruben Acosta"}}},
		{"a second speaker in a clause of the same sentence",
			"Port talks\n\n“The deadline is Friday,” said Ines Valdez, but Ruben Acosta objected: “Nobody agreed to Friday.”",
			[]want{{"The deadline is Friday", "Ines Valdez"}, {"Nobody agreed to Friday", "Ruben Acosta"}}},
		{"auxiliary after a country subject",
			"Port talks\n\nThe UK has urged “restraint on all sides and a return to talks”.",
			[]want{{"restraint on all sides", "UK"}}},
		{"a verb then a preposition is no attribution",
			"Port talks\n\nShe repeated the word “sabotage,” read into the record a long letter, and left.",
			nil},
		{"nested quotation closing with the outer one",
			"Port talks\n\n“My first thought was, ‘Not again,’ ” Ines Valdez said. “Then we got to work.”",
			[]want{{"My first thought was, ‘Not again,’ Then we got to work", "Ines Valdez"}}},
		{"other speech verbs",
			"Port talks\n\n“The deadline is Friday,” Ines Valdez warned. “After that we sell,” Odile Marchetti countered.",
			[]want{{"The deadline is Friday", "Ines Valdez"}, {"After that we sell", "Odile Marchetti"}}},
	})
}

// TestSplitAndContinued covers a quotation split around its attribution, a
// quotation continued over several paragraphs, and a new quotation with
// its own attribution.
func TestSplitAndContinued(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"split by a comma clause",
			"Budget\n\n“The numbers do not add up,” said Helga Brandt, “and everyone in this room knows it.”",
			[]want{{"The numbers do not add up and everyone in this room knows it", "Helga Brandt"}}},
		{"split by a full sentence",
			"Budget\n\n“The numbers do not add up,” Helga Brandt said. “We will vote against.”",
			[]want{{"The numbers do not add up We will vote against", "Helga Brandt"}}},
		{"split with straight marks",
			"Budget\n\n\"We tried,\" Helga Brandt said, \"but the majority would not listen.\"",
			[]want{{"We tried but the majority would not listen", "Helga Brandt"}}},
		{"narrative between two quotations separates them",
			"Budget\n\n“We will vote against,” Helga Brandt said. The chamber fell silent for a minute. Then the debate resumed. “This is a mistake.”",
			[]want{{"We will vote against", "Helga Brandt"}, {"This is a mistake", ""}}},
		{"new attribution is a new quote",
			"Budget\n\n“We will vote against,” Helga Brandt said. “This is a mistake,” Jonas Lind replied.",
			[]want{{"We will vote against", "Helga Brandt"}, {"This is a mistake", "Jonas Lind"}}},
		{"she added is a new quote",
			"Budget\n\nHelga Brandt spoke first.\n\n“We will vote against,” she said.\n\n“Nobody should be surprised,” she added.",
			[]want{{"We will vote against", "Helga Brandt"}, {"Nobody should be surprised", "Helga Brandt"}}},
		{"three paragraphs, attribution in the first",
			"Budget\n\nJonas Lind said: “The plan cuts hospitals first.\n\n“It cuts schools second.\n\n“And it leaves the tax breaks untouched.”\n\nThe vote is on Friday.",
			[]want{{"The plan cuts hospitals first. It cuts schools second. And it leaves", "Jonas Lind"}}},
		{"two paragraphs, attribution in the last",
			"Budget\n\n\"The plan cuts hospitals first.\n\n\"It cuts schools second,\" Jonas Lind said.",
			[]want{{"The plan cuts hospitals first. It cuts schools second", "Jonas Lind"}}},
		{"standalone paragraph continues the previous speaker",
			"Budget\n\n“We will vote against,” Helga Brandt said.\n\n“The plan is unfair to the regions and to the young.”",
			[]want{{"We will vote against", "Helga Brandt"}, {"The plan is unfair to the regions", "Helga Brandt"}}},
	})
}

// TestPronounSpeakers covers pronouns resolved to the named person they
// refer to.
func TestPronounSpeakers(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"he after a titled subject",
			"Rail\n\nTransport Minister Piet Claes defended the timetable on Monday.\n\n“Trains will run every ten minutes,” he said.",
			[]want{{"Trains will run every ten minutes", "Piet Claes"}}},
		{"subject, not object, of the sentence before",
			"Rail\n\nMarta Novak criticised Piet Claes over the delays. “Nobody takes responsibility,” she said.",
			[]want{{"Nobody takes responsibility", "Marta Novak"}}},
		{"latest named subject wins",
			"Rail\n\n“The timetable works,” said Piet Claes.\n\nMarta Novak disagreed with the minister. “It works on paper,” she said.",
			[]want{{"The timetable works", "Piet Claes"}, {"It works on paper", "Marta Novak"}}},
		{"surname then pronoun in the split quote",
			"Rail\n\nMarta Novak spoke later. “We counted,” she said, “and half the trains were late.”",
			[]want{{"We counted and half the trains were late", "Marta Novak"}}},
		{"pronoun followed by more words",
			"Rail\n\n“The timetable works,” said Piet Claes. He then pointed out that delays were falling. “Look at the numbers.”",
			[]want{{"The timetable works", "Piet Claes"}, {"Look at the numbers", "Piet Claes"}}},
		{"pronoun inside a relative clause",
			"Rail\n\nMarta Novak recalled the call, in which she said the trains were “a disgrace to the whole region”.",
			[]want{{"a disgrace to the whole region", "Marta Novak"}}},
		{"the writer's we is no speaker",
			"Rail\n\nMarta Novak left early. As we’ve reported, a 2019 audit found the network “chronically underfunded and badly managed”.",
			[]want{{"chronically underfunded and badly managed", ""}}},
		{"it refers to the organisation speaking before",
			"Rail\n\n“Safety comes first,” the National Rail Authority said. “Repairs take time,” it added.",
			[]want{{"Safety comes first", "National Rail Authority"}, {"Repairs take time", "National Rail Authority"}}},
	})
}

// TestUnnamedSpeakers covers speakers known only by a description.
func TestUnnamedSpeakers(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"indefinite description keeps its words",
			"Visa row\n\n“The rules have not changed,” a State Department spokesperson said.",
			[]want{{"The rules have not changed", "State Department spokesperson"}}},
		{"description naming its referent",
			"Visa row\n\nA campaign group known as Open Borders Now filed the suit. “The rule is unlawful,” the group said.",
			[]want{{"The rule is unlawful", "Open Borders Now"}}},
		{"possessive description is no speaker",
			"Visa row\n\nHis repeated claims that the rules were “fair, humane and fully lawful” convinced nobody.",
			[]want{{"fair, humane and fully lawful", ""}}},
		{"description with a complement",
			"Visa row\n\n“We were surprised,” said an official of the Interior Ministry.",
			[]want{{"We were surprised", "official of the Interior Ministry"}}},
		{"definite description refers back",
			"Visa row\n\nA senior European diplomat briefed reporters after the meeting. “Nobody wants a trade war,” the diplomat said.",
			[]want{{"Nobody wants a trade war", "senior European diplomat"}}},
		{"the organisation noun resolves to its name",
			"Visa row\n\nThe Migrant Rights Alliance filed a complaint on Monday. “This policy is unlawful,” the alliance said.",
			[]want{{"This policy is unlawful", "Migrant Rights Alliance"}}},
		{"bare spokesperson tied to the organisation just named",
			"Visa row\n\nThe Home Office confirmed the change on Friday. “Applications will be processed faster,” a spokesperson said.",
			[]want{{"Applications will be processed faster", "Home Office spokesperson"}}},
	})
}

// TestMarksAndNesting covers straight and typographic marks, nested single
// quotation marks and apostrophes.
func TestMarksAndNesting(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"straight marks",
			"Dam\n\n\"The dam is safe,\" said Yusuf Demir.",
			[]want{{"The dam is safe", "Yusuf Demir"}}},
		{"typographic marks and apostrophes",
			"Dam\n\n“It isn’t the engineers’ fault,” said Yusuf Demir.",
			[]want{{"It isn’t the engineers’ fault", "Yusuf Demir"}}},
		{"nested typographic single quotes",
			"Dam\n\n“The report calls the dam ‘structurally sound’ and I believe it,” said Yusuf Demir.",
			[]want{{"The report calls the dam ‘structurally sound’ and I believe it", "Yusuf Demir"}}},
		{"nested straight single quotes",
			"Dam\n\n\"They told us 'trust the experts' and we did,\" said Leyla Arslan.",
			[]want{{"They told us 'trust the experts' and we did", "Leyla Arslan"}}},
		{"two quotations in one paragraph",
			"Dam\n\n“It is safe,” said Yusuf Demir, but Leyla Arslan disagreed: “It was never inspected.”",
			[]want{{"It is safe", "Yusuf Demir"}, {"It was never inspected", "Leyla Arslan"}}},
	})
}

// TestNotQuotations covers quoted words that are not speech: scare quotes,
// titles, slogans and headings.
func TestNotQuotations(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"scare quotes",
			"Harbour\n\nThe so-called “green corridor” has yet to carry a single ship, and the port’s “digital twin” is still a slide deck.",
			nil},
		{"title of a report",
			"Harbour\n\nThe ministry published a report titled “Charting the Course for Sustainable Ports” on Monday.",
			nil},
		{"title-cased name in marks",
			"Harbour\n\nDelegates endorsed the \"Blue Harbours Charter\" without a vote.",
			nil},
		{"slogan",
			"Harbour\n\nProtesters marched behind the slogan “No port without workers” through the old town.",
			nil},
		{"heading in marks",
			"Harbour\n\n“A harbour for all”\n\nThe mayor opened the new quay on Sunday.",
			nil},
		{"speech is kept next to a scare quote",
			"Harbour\n\nCritics call it a “vanity project”. “It will pay for itself,” said Mayor Anouk Visser.",
			[]want{{"It will pay for itself", "Anouk Visser"}}},
	})
}

// TestPullQuotes covers a pull-quote repeating a quotation from the body.
func TestPullQuotes(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"pull-quote after the body quote",
			"Grid\n\n“Blackouts are a choice, not a fate,” said Saanvi Rao, the grid operator’s chief.\n\nThe network lost power twice.\n\n“Blackouts are a choice, not a fate.”\n\nRepairs begin in June.",
			[]want{{"Blackouts are a choice, not a fate", "Saanvi Rao"}}},
		{"pull-quote before the body quote, different marks",
			"Grid\n\n\"Blackouts are a choice\"\n\nThe network lost power twice.\n\n“Blackouts are a choice, not a fate,” said Saanvi Rao.",
			[]want{{"Blackouts are a choice, not a fate", "Saanvi Rao"}}},
	})
}

// TestFullNames covers speakers named by surname or title and surname,
// reported by their fullest name in the article.
func TestFullNames(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"surname after the full name",
			"Farm bill\n\nMargit Sorensen, who chairs the farmers' council, opened the debate.\n\n“Prices are too low,” Sorensen said.",
			[]want{{"Prices are too low", "Margit Sorensen"}}},
		{"honorific and surname",
			"Farm bill\n\nMargit Sorensen chairs the council.\n\n“Prices are too low,” Ms. Sorensen said.",
			[]want{{"Prices are too low", "Margit Sorensen"}}},
		{"full name only later",
			"Farm bill\n\n“Prices are too low,” Sorensen said.\n\nMargit Sorensen has led the council since 2019.",
			[]want{{"Prices are too low", "Margit Sorensen"}}},
		{"office with of before the name",
			"Farm bill\n\nSecretary of State Margit Sorensen said the bill was “long overdue and badly needed”.",
			[]want{{"long overdue and badly needed", "Margit Sorensen"}}},
		{"middle initial and generational suffix",
			"Farm bill\n\nHarold T. Jensen Jr., the committee's lawyer, spoke first.\n\n“The bill is lawful,” Jensen said.",
			[]want{{"The bill is lawful", "Harold T. Jensen Jr"}}},
		{"first and last name of a fuller name",
			"Farm bill\n\nMargit Anna Sorensen chairs the council.\n\n“Prices are too low,” said Margit Sorensen.",
			[]want{{"Prices are too low", "Margit Anna Sorensen"}}},
		{"participle opening a sentence is not a first name",
			"Farm bill\n\nMargit Sorensen spoke on Monday. Hosting Sorensen at the fair, the mayor praised her.\n\n“Prices are too low,” Sorensen said.",
			[]want{{"Prices are too low", "Margit Sorensen"}}},
		{"country after a title and preposition is not a first name",
			"Farm bill\n\nThe envoy to Denmark Lars Holm met farmers.\n\n“Prices are too low,” Holm said.",
			[]want{{"Prices are too low", "Lars Holm"}}},
		{"title stripped from the name",
			"Farm bill\n\n“Prices are too low,” said Agriculture Minister Margit Sorensen.",
			[]want{{"Prices are too low", "Margit Sorensen"}}},
	})
}

// TestDocumentSpeakers covers statements, notes and letters given as the
// speaker: the speaker is whoever issued the document.
func TestDocumentSpeakers(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"said in a statement",
			"Hack\n\n“We regret the outage,” Norsk Kraftverk said in a statement.",
			[]want{{"We regret the outage", "Norsk Kraftverk"}}},
		{"the statement said, issuer named before",
			"Hack\n\nNorsk Kraftverk issued a statement on Monday night. “We regret the outage and are working to restore power,” the statement said.",
			[]want{{"We regret the outage", "Norsk Kraftverk"}}},
		{"the statement said, issuer is the subject before",
			"Hack\n\nGreyTide, the gang behind the attack, later posted a message on its website. “We only wanted money,” the statement said.",
			[]want{{"We only wanted money", "GreyTide"}}},
		{"a letter signed by several organisations",
			"Hack\n\nIn an open letter, Privacy International, the Open Rights Group and dozens of other groups urged lawmakers to vote no.\n\n“This bill would break encryption for everyone,” the groups wrote.",
			[]want{{"This bill would break encryption for everyone", "Privacy International, Open Rights Group and other groups"}}},
		{"a joint note by two ministries",
			"Hack\n\nIn a joint note, the Ministry of Energy and the Ministry of Digital Affairs said the grid would be audited.\n\n“No customer data was lost,” the note said.",
			[]want{{"No customer data was lost", "Ministry of Energy and Ministry of Digital Affairs"}}},
		{"the ministries said in a note",
			"Hack\n\nThe Ministry of Energy and the Ministry of Digital Affairs met on Monday.\n\n“No customer data was lost,” the ministries said in a note.",
			[]want{{"No customer data was lost", "Ministry of Energy and Ministry of Digital Affairs"}}},
		{"the two leaders said in a joint statement",
			"Hack\n\nIngrid Solberg and Tomas Varga met in Oslo on Monday.\n\n“We will not pay ransoms,” the two leaders said in a joint statement.",
			[]want{{"We will not pay ransoms", "Ingrid Solberg and Tomas Varga"}}},
		{"people are not a list of states",
			"Hack\n\nNorway and Sweden signed the pledge on Monday.\n\n“We will not pay ransoms,” the officials said.",
			[]want{{"We will not pay ransoms", "officials"}}},
		{"a statement by a named organisation",
			"Hack\n\n“No customer data was lost,” according to a statement by Norsk Kraftverk.",
			[]want{{"No customer data was lost", "Norsk Kraftverk"}}},
	})
}

// TestDefiniteReferent covers a definite description ("the administration")
// resolved to the nearest named referent in the article.
func TestDefiniteReferent(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"nearest earlier named referent",
			"Trade\n\nThe Lindqvist government raised tariffs last year.\n\nThe Moreau government took office in May. The government said it would “review every tariff line before the summer.”",
			[]want{{"review every tariff line", "Moreau government"}}},
		{"a distant earlier referent yields to one in the next paragraph",
			"Trade\n\nIn 2019 the Lindqvist government raised tariffs on steel.\n\nExporters complained for years.\n\nMany moved production abroad.\n\nNow the mood has changed. The government said it would “review every tariff line before the summer.”\n\nThe Moreau government, in office since May, has reversed several of its predecessor’s policies.",
			[]want{{"review every tariff line", "Moreau government"}}},
	})
}
