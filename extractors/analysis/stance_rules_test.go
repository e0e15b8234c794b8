package analysis

import (
	"strings"
	"testing"
)

// TestStanceRuleFamilies checks the stance rule families added for lists,
// asides, references, time, custodians and unknown organisations, each on
// sentences written for this test.
func TestStanceRuleFamilies(t *testing.T) {
	a := analyzer(t)
	for _, tc := range []struct {
		name, text, published string
		want                  []string
	}{
		{"passive with a quantified head and an inclusion list",
			"Code\n\nThe Pall Mall Process code was endorsed on its first day by 12 governments, including Austria, Chile and Kenya.", "",
			[]string{"AUT pall-mall-process signed", "CHL pall-mall-process signed", "KEN pall-mall-process signed"}},
		{"signatories of the accord included",
			"Call\n\nSignatories of the Paris Call included Spain, Portugal and Norway, officials said.", "",
			[]string{"ESP paris-call signed", "NOR paris-call signed", "PRT paris-call signed"}},
		{"a verb with no object takes the accord in focus",
			"Call\n\nThe Christchurch Call was drawn up in May. Sweden and Denmark signed for the Nordic region on Tuesday.", "",
			[]string{"DNK christchurch-call signed", "SWE christchurch-call signed"}},
		{"a relative clause is not the subject",
			"Talks\n\nChile, which attended the talks in Strasbourg, rejected the Budapest Convention outright.", "",
			[]string{"CHL budapest-convention opposes"}},
		{"an indefinite apposition is not the subject",
			"Exit\n\nPeru, a country with a large Italian community, withdrew from the Paris Call.", "",
			[]string{"PER paris-call withdrew"}},
		{"speaking for a bloc gives the bloc the stance",
			"Vote\n\nCroatia, speaking for the European Union, called for a vote against the UN cybercrime treaty.", "",
			[]string{"EU un-cybercrime-convention opposes"}},
		{"urging others to ratify is support",
			"Push\n\nThe Council of Europe urged Mexico to ratify the Budapest Convention.", "",
			[]string{"COE budapest-convention supports"}},
		{"not saying whether is undecided",
			"Maybe\n\nIndonesia has not said whether it will join the Declaration for the Future of the Internet.", "",
			[]string{"IDN future-of-internet-declaration undecided"}},
		{"an absence gives way to a stated stance",
			"Review\n\nKenya has not yet signed the Paris Call. Officials said Kenya is still reviewing the text.", "",
			[]string{"KEN paris-call undecided"}},
		{"a generic reference goes to an accord it can name",
			"Two accords\n\nThe Budapest Convention has more than 70 parties. The Paris Call, by contrast, is a declaration. Ghana ratified the convention in 2018.", "2018-06-01",
			[]string{"GHA budapest-convention ratified"}},
		{"reduced passive takes the agents, not the announcer",
			"Launch\n\nFrench President Emmanuel Macron presented the Paris Call, a pledge signed by Japan and Canada.", "",
			[]string{"CAN paris-call signed", "JPN paris-call signed"}},
		{"a custodian's official speaking of its accord supports it",
			"Signing\n\n“This convention gives every state the tools it needs,” U.N. Secretary-General António Guterres said of the UN Convention against Cybercrime.", "",
			[]string{"UN un-cybercrime-convention supports"}},
		{"an unknown firm introduced as such takes its own stance",
			"Exit\n\nQuillfeather Security, a Dutch incident-response firm, withdrew from the Cybersecurity Tech Accord on Monday.", "",
			[]string{"quillfeather-security tech-accord withdrew"}},
		{"joining a consensus framework is support",
			"Norms\n\nBrazil joined the consensus on the framework of responsible state behaviour.", "",
			[]string{"BRA un-cyber-norms supports"}},
		{"a legislature's approval is ratification",
			"Vote\n\nThe Chilean parliament approved the Budapest Convention on Tuesday.", "",
			[]string{"CHL budapest-convention ratified"}},
		{"a counterfactual is no stance",
			"Regret\n\n“The U.N. should never have put its name to the UN Convention against Cybercrime,” a researcher said.", "",
			nil},
		{"an actor inside a longer name is not a subject",
			"Data\n\nThe Malabo Convention is cited by the AU Data Policy Framework endorsed in 2022.", "",
			nil},
		{"co-sponsors are supporters",
			"Vote\n\nThe resolution on the UN cybercrime treaty passed. Its co-sponsors included Cuba and Nicaragua.", "",
			[]string{"CUB un-cybercrime-convention supports", "NIC un-cybercrime-convention supports"}},
		{"an actor-backed accord",
			"Vote\n\nThe assembly welcomed progress on a Russian-backed UN cybercrime treaty.", "",
			[]string{"RUS un-cybercrime-convention supports"}},
		{"the signing ceremony is no signature",
			"Hanoi\n\nThe United States stayed away from the signing table of the UN Convention against Cybercrime.", "",
			[]string{"USA un-cybercrime-convention declined"}},
		{"a contrast ends the past",
			"Shift\n\nThe Trump administration had declined to sign the Paris Call in 2018, but the United States now supports the Paris Call.", "2021-11-10",
			[]string{"USA paris-call declined (historical)", "USA paris-call supports"}},
		{"withdrawing support is a withdrawal",
			"Exit\n\nParaguay has withdrawn its support for the Paris Call, the foreign ministry said.", "",
			[]string{"PRY paris-call withdrew"}},
		{"calling on others to sign, with the accord in focus",
			"Treaty\n\nThe UN Convention against Cybercrime opens for signature. Spain and Greece have called on the bloc to sign before the end of the year.", "",
			[]string{"ESP un-cybercrime-convention supports", "GRC un-cybercrime-convention supports"}},
		{"unknown companies listed after a company head",
			"Accord\n\nNine companies joined the Cybersecurity Tech Accord this week, among them Brightwell, Zentara and Corvex, bringing it to 170.", "",
			[]string{"brightwell tech-accord signed", "corvex tech-accord signed", "zentara tech-accord signed"}},
		{"a descriptive apposition with a demonym is not a subject",
			"Code\n\nHarbinger Group, the Israeli surveillance vendor, denounced the Pall Mall Process code as unworkable.", "",
			[]string{"harbinger-group pall-mall-process opposes"}},
		{"being members is membership",
			"Coalition\n\nThe Counter Ransomware Initiative grew again. Zambia and Malawi are already members.", "",
			[]string{"MWI counter-ransomware-initiative signed", "ZMB counter-ransomware-initiative signed"}},
		{"a fronted adverbial holds no subject",
			"Launch\n\nAt a forum hosted by UNESCO in Paris, the French president launched the Paris Call.", "",
			[]string{"FRA paris-call supports"}},
		{"rejecting suggestions is not opposing the accord",
			"Denial\n\nThe Irish prime minister rejected suggestions that Ireland was leaving the Christchurch Call.", "",
			nil},
		{"hosting a signing is no signature",
			"Laos hosts signing of UN cybercrime convention\n\nOfficials gathered in Vientiane.", "",
			nil},
		{"a sign that is a noun",
			"Treaty\n\nPeru still has not joined the Budapest Convention, and its government has given no sign that it will.", "",
			[]string{"PER budapest-convention declined"}},
		{"a later stage reported as past outranks the headline's earlier one",
			"Why Chile joined the Budapest Convention\n\nChile's accession to the Budapest Convention last month ended a debate that began in 2017.", "2025-06-01",
			[]string{"CHL budapest-convention ratified"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := stances(t, a, tc.text, tc.published)
			if strings.Join(got, "; ") != strings.Join(tc.want, "; ") {
				t.Errorf("stances = %q\nwant       %q", got, tc.want)
			}
		})
	}
}
