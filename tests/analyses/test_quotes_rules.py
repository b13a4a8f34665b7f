"""Voices: one invented-sentence test per attribution rule added for stories beyond the seeds
(people, outlets and states invented or generic; no text from any real article)."""
from __future__ import annotations

import pandas as pd
import pytest

from newslens.analyses.quotes import UNATTRIBUTED, extract_quotes, load_roles


def quotes_of(*texts: str, outlet: str = "", body: bool = False) -> pd.DataFrame:
    """The voices of one article made of `texts` (one sentence each; with `body`, the sentences are laid
    out in a body, one paragraph, so that a quotation may run over several of them)."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    sentences = pd.DataFrame({"doc_id": ["x"] * len(texts), "sent_id": range(len(texts)), "text": list(texts),
                              "start": starts, "end": [s + len(t) for s, t in zip(starts, texts)]})
    bodies = {"x": " ".join(texts)} if body else None
    return extract_quotes(sentences, bodies=bodies, outlets={"x": outlet} if outlet else None)


def speakers(q: pd.DataFrame, sent_id: int | None = None) -> list[str]:
    rows = q if sent_id is None else q[q.sent_id == sent_id]
    return rows["speaker"].tolist()


def test_every_speaker_of_a_sentence_gets_a_row():
    q = quotes_of('"We have to pull back," said Tomas Berg, the regional governor, according to the Harbor Times.',
                  "Officials said the launchers were in use, although Moldavia has said that it destroyed two.")
    assert speakers(q, 0) == ["Tomas Berg", "Harbor Times"]
    assert q[q.speaker == "Harbor Times"].speaker_group.item() == "media"
    assert set(speakers(q, 1)) == {"Officials", "Moldavia"}


def test_a_name_after_the_verb_with_no_quotation_before_it():
    q = quotes_of("The fleet will sail in May, said Defence Minister Ruth Adler and Foreign Minister Jonas Feld "
                  "in a letter to parliament.",
                  "Washington was working on it, said Tomas Berg.")
    row = q[q.sent_id == 0].iloc[0]
    assert "Ruth Adler" in row.speaker_text and "Jonas Feld" in row.speaker_text
    assert row.quote.startswith("The fleet will sail")
    assert speakers(q, 1) == ["Tomas Berg"]  # not "Washington": a verb follows that name


def test_an_apposition_names_the_office_state_and_rank():
    q = quotes_of('"The ships are ready," said Tomas Berg, the deputy defence minister of Norway.',
                  '"The crews are trained," said Ruth Adler, a navy commander.',
                  "Gen. Jonas Feld, the army's chief of staff, said the drills were over.")
    berg, adler, feld = (q[q.sent_id == i].iloc[0] for i in range(3))
    assert (berg.speaker, berg.speaker_country, berg.speaker_group) == ("Tomas Berg", "Norway", "foreign_government")
    assert adler.speaker == "Ruth Adler" and adler.speaker_group == "government"
    assert bool(feld.uniformed) and not bool(berg.uniformed)


def test_the_agent_of_a_passive_speaks():
    q = quotes_of("The sale was first reported by the Harbor Times on Monday.",
                  "The contract was announced on Friday, March 3, by the Defense Security Cooperation Agency.",
                  "As noted by Ruth Adler, chairwoman of the budget committee, the vote was close.")
    assert speakers(q) == ["Harbor Times", "Defense Security Cooperation Agency", "Ruth Adler"]
    assert q.verb.tolist() == ["reported", "announced", "noted"]


def test_quoted_as_saying():
    q = quotes_of("The Harbor Times quoted Admiral Jonas Feld as saying the frigates were late.",
                  '"Nothing is late," the paper cited Ruth Adler as saying.')
    feld = q[q.speaker == "Jonas Feld"].iloc[0]
    assert feld.quote == "the frigates were late" and bool(feld.uniformed)
    assert "Harbor Times" in speakers(q, 0)  # the outlet that quoted him speaks too
    assert q[q.speaker == "Ruth Adler"].quote.item() == "Nothing is late"


def test_a_possessive_claim_is_a_statement_and_rebutting_claims_is_not():
    q = quotes_of("Officials dismissed the Kremlin's claim that the boats were sunk.",
                  "The navy moved to rebut claims that the boats were sunk.")
    assert speakers(q, 0) == ["Russia"] and q.iloc[0].quote == "the boats were sunk"
    assert 1 not in set(q.sent_id) or "claims that" not in set(q.verb)


def test_a_document_reads():
    q = quotes_of('"Deliveries start in May," the joint statement read.')
    assert speakers(q) == ["joint statement"] and q.iloc[0].quote == "Deliveries start in May"


def test_a_participle_or_a_second_verb_belongs_to_the_clause_subject():
    q = quotes_of("In turn, Prime Minister Tomas Berg welcomed the decision, adding that talks would continue.",
                  'Foreign ministry spokesman Jonas Feld on Monday "strongly condemned" the sale and said '
                  "sanctions would follow.",
                  "The agency had ruled out the sale in March, claiming that crews were needed at home.")
    assert speakers(q, 0) == ["Tomas Berg"] and q.iloc[0].quote == "talks would continue"
    assert speakers(q, 1) == ["Jonas Feld"]
    assert speakers(q, 2) == ["agency"]


def test_pronouns_skip_names_inside_quotations():
    q = quotes_of("Senator Ruth Adler said the deal must wait.",
                  '"Until Jonas Feld stops his threats, nothing moves," she added.',
                  "According to her, the vote is in June.")
    assert speakers(q) == ["Ruth Adler"] * 3


def test_a_definite_description_refers_back_to_the_speaker_it_describes():
    q = quotes_of("Defence Secretary Ruth Adler said the order was signed.",
                  "The Harbor Times reported that the first boats were built.",
                  "The secretary added that more would follow.",
                  "The newspaper said the yard was busy.",
                  "A source familiar with the talks told reporters the price was high.",
                  "The source said the talks would resume.")
    assert speakers(q) == ["Ruth Adler", "Harbor Times", "Ruth Adler", "Harbor Times",
                           "source familiar with the talks", "source familiar with the talks"]


def test_an_abbreviation_refers_to_its_name():
    q = quotes_of("The Ministry of Coastal Defense (MCD) announced the contract on Monday.",
                  "According to the MCD, the boats arrive in 2027.")
    assert speakers(q) == ["Ministry of Coastal Defense"] * 2


def test_a_possessed_body_speaks_not_its_owner_and_states_have_one_name():
    q = quotes_of("The Pentagon's Office of Naval Procurement said the order was placed.",
                  "The US said it would send more.")
    assert speakers(q) == ["Office of Naval Procurement", "United States"]
    assert q.speaker_group.tolist() == ["us_government", "us_government"]


def test_the_articles_own_outlet_is_no_speaker():
    q = quotes_of("The Harbor Times reported that the boats were late.", "Officials said the boats were late.",
                  outlet="Harbor Times")
    assert speakers(q) == ["Officials"]


def test_a_quotation_over_several_sentences_takes_the_speaker_that_closes_it():
    q = quotes_of("Tomas Berg spoke first.", "The panel met later.",
                  "“The boats are ready.", "The crews are trained.", "We sail in May,” the ministry said.",
                  body=True)
    assert speakers(q) == ["ministry"] * 3
    assert q.resolved_by.tolist()[:2] == ["quotation closed by attribution"] * 2


def test_commitments_of_amounts_are_acts_not_statements():
    q = quotes_of("The US pledged $6 billion in arms.", "Moldavia promised to deliver eight launchers.",
                  "He promised a government for all citizens.", "Officials promised that the boats would come.")
    assert set(q.sent_id) == {2, 3}


def test_adjectives_subordinate_clauses_and_nouns_are_no_speech_verbs():
    q = quotes_of("The sale has an estimated cost of $2 billion.",
                  "If denied the jets, the air force will look elsewhere.",
                  "The sale stalled over claims that the radar leaks data.")
    assert q.empty


def test_speaker_phrases_in_lower_case_with_numbers_or_bullets():
    q = quotes_of("Officials said key lawmakers on the committee have vowed to block the sale.",
                  "Five sources familiar with the talks said the deal was close.",
                  "- The Air Force said that the radar was repaired.")
    assert any("lawmakers" in s for s in speakers(q, 0))
    assert speakers(q, 1) == ["sources familiar with the talks"]
    assert speakers(q, 2) == ["Air Force"]


def test_unknown_outlets_that_report_are_media():
    q = quotes_of("Naval Ledger reported that the ships were late.")
    assert (q.iloc[0].speaker, q.iloc[0].speaker_group) == ("Naval Ledger", "media")


def test_letters_posts_and_what_someone_described_as():
    q = quotes_of("President Ruth Adler sent a letter to parliament calling for a vote.",
                  "Jonas Feld wrote on social media that the talks had failed.",
                  "The deal is what the minister described as “a turning point”.")
    assert speakers(q) == ["Ruth Adler", "Jonas Feld", "minister"]
    assert q.iloc[2].quote == "a turning point"


def test_the_roles_file_gives_ranks_and_the_group_of_each_state():
    roles = load_roles()
    assert roles.rank.search("Brig. Gen. Jonas Feld") and not roles.rank.search("the general public")
    assert roles.country_group("United States") == "us_government"
    assert roles.country_group("Norway") == "foreign_government"
    assert UNATTRIBUTED == "(unattributed)"


@pytest.mark.parametrize("bad", ["cue,kind,group\nGen.,ranking,\n"])
def test_an_unknown_kind_of_role_names_the_row(tmp_path, bad):
    from newslens.core.errors import ParameterError

    path = tmp_path / "roles.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"row 2: kind 'ranking' is not one of role, official, demonym, rank"):
        load_roles(str(path))


def test_a_surname_or_a_name_before_an_apposition_is_the_earlier_speaker():
    q = quotes_of("Dana Roe, the acting Pentagon press secretary, said the package was ready.",
                  "Roe said it would ship in May.",
                  "Defence Minister Tomas Berg said the vote was close.", "Berg added that it would pass.")
    assert speakers(q) == ["Dana Roe", "Dana Roe", "Tomas Berg", "Tomas Berg"]
    assert q.iloc[0].speaker_group == "us_government" and q.iloc[1].resolved_by == "surname (earlier speaker)"


def test_he_is_the_last_person_who_spoke_even_after_a_body_spoke():
    q = quotes_of("Defence Minister Tomas Berg said the request was old.",
                  "The allies said at the time that it was impossible.",
                  "The boats are here now.", "The crews are ready.", "The skies are safer.",
                  '"Our partners kept their word," he noted.')
    assert speakers(q)[-1] == "Tomas Berg"


def test_speaker_phrases_end_at_but_and_at_a_period_glued_to_the_next_sentence():
    q = quotes_of("The ministry notified parliament of the sale but key lawmakers have vowed to block it.",
                  '"We are ready," Berg said, as quoted by the ministry.Prime Minister Tomas Berg said later that '
                  "the talks went well.")
    assert "key lawmakers" in speakers(q, 0)
    assert "Tomas Berg" in speakers(q, 1)


def test_a_title_reads_back_over_a_list_but_not_over_another_clause():
    q = quotes_of("Assistant Army Secretary for Acquisition, Logistics and Technology Dana Roe said the batteries "
                  "were on their way.",
                  "In an interview with Norway's Harbor News, Foreign Minister Tomas Berg said talks went on.",
                  "The jets come from the United States, Turkish Defence Minister Jonas Feld said on Monday.")
    roe, berg, feld = (q[q.sent_id == i].iloc[0] for i in range(3))
    assert roe.speaker_group == "government" and berg.speaker_group == "government"  # not the outlet's "media"
    assert feld.speaker_country == "Turkey"  # the state nearest the name


def test_a_named_speaker_with_nothing_left_to_quote_is_kept():
    q = quotes_of("Moldavia has repeatedly warned the allies that")
    assert speakers(q) == ["Moldavia"] and q.iloc[0].verb == "warned"


def test_commitments_of_more_than_an_amount():
    q = quotes_of("Since then the United States has pledged more than $2 billion in aid.")
    assert q.empty


def test_a_romanised_given_name_of_two_syllables_is_one_name():
    """(a small change in analyses.entities: a hyphen and a short lower-case syllable continue a name)"""
    from newslens.analyses.entities import tag_entities

    q = quotes_of("Vice Defence Minister Lin Che-ping said the missiles would arrive in 2026.")
    assert speakers(q) == ["Lin Che-ping"]
    names = tag_entities(pd.DataFrame({"doc_id": ["x"], "sent_id": [0],
                                       "text": ["Prime Minister Adam Sunni-led talks began."]}))["entity"]
    assert not names.str.contains("-led").any()  # "-led" makes an adjective, not a syllable


def test_a_later_mention_keeps_what_the_first_said_about_the_person():
    q = quotes_of("Norwegian foreign ministry spokesperson Ilse Varga on Monday said the sale was illegal.",
                  "Varga said sanctions would follow.", "The Harbor Times reported the sale.",
                  "U.S. Defence Secretary Ruth Adler said the ships were ready.", "Adler said more would come.",
                  "The minister said the yard was busy.")
    varga = q[q.speaker == "Ilse Varga"]
    assert len(varga) == 2 and set(varga.speaker_group) == {"foreign_government"}
    assert speakers(q)[-1] == "Ruth Adler"  # "the minister": the official who spoke last
    assert speakers(q, 0) == ["Ilse Varga"]  # "on Monday" is no part of a name


def test_more_statement_verbs_and_the_forces():
    q = quotes_of("- The Air Force of Moldavia said the radar was hit.",
                  "- The forces added that the launchers were intact.",
                  "Russia said it destroyed two launchers, a claim Kyiv rejects.",
                  "The State Department sent the notification to Congress on Friday.",
                  "The administration on Wednesday defended its decision to send the rockets.")
    assert speakers(q, 1) == ["Air Force of Moldavia"]
    assert "Ukraine" in speakers(q, 2)
    assert speakers(q, 3) == ["State Department"] and speakers(q, 4) == ["administration"]


def test_a_name_after_an_office_datelines_and_short_months():
    q = quotes_of("Acting Pentagon Press Secretary Dana Roe said the package was signed.",
                  "Aug. 8 (UPI) -- The United States announced Monday it would send more.",
                  "Moldavia's army on Oct. 27 stated that the sale was welcome.")
    assert speakers(q) == ["Dana Roe", "United States", "Moldavia's army"]
    assert q.iloc[0].speaker_group == "us_government"


def test_a_body_that_stands_for_a_state_gives_way_to_the_state_named_with_it():
    q = quotes_of("The Ministry of Defence of Norway said the radar was hit.")
    assert q.iloc[0].speaker_country == "Norway"


def test_a_participle_after_a_clause_keeps_only_its_subject():
    q = quotes_of("Earlier, the European Parliament adopted a resolution calling on the allies to act.")
    assert speakers(q) == ["European Parliament"] and q.iloc[0].speaker_group == "international"


def test_roles_in_a_transfer_in_the_devsets_vocabulary():
    from newslens.analyses.quotes import transfer_roles

    q = quotes_of("Defence Minister Ruth Adler of Norway said the batteries were sent.",
                  "Gen. Jonas Feld, the chief of the Norwegian army, said crews were trained.",
                  "Ukrainian Foreign Minister Tomas Berg said more were needed.",
                  "The Harbor Times reported the sale.", "A spokesman said the talks went on.")
    assert transfer_roles(q, {"Norway"}).tolist() == [
        "government", "military", "official-foreign", "media", "government"]
    assert transfer_roles(q, {"Ukraine"}).tolist()[:3] == ["official-foreign", "official-foreign", "government"]


def test_the_supplying_states_of_a_story_from_its_events():
    from newslens.analyses.quotes import supplying_states

    events = pd.DataFrame({"supplier": ["Norway"] * 8 + ["Norway, Denmark"] * 3 + ["Moldavia", "Moldavia", None],
                           "recipient": ["Moldavia"] * 10 + [None, "Norway", None, "Moldavia"]})
    # Denmark supplies in 3 rows (over a quarter of Norway's 11); Moldavia is named supplier twice but
    # recipient eleven times
    assert supplying_states(events) == {"Norway", "Denmark"}
    assert supplying_states(pd.DataFrame({"supplier": [], "recipient": []})) == set()
