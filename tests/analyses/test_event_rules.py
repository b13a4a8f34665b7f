"""Each rule the devset taught the events stage, on invented sentences (newslens.analyses.events)."""
import pandas as pd

from conftest import one_sentence
from newslens.analyses.events import extract_events, unlisted_weapons


def events_of(*texts, published="2031-05-06"):
    """The events of one invented article whose sentences are `texts`."""
    sentences = pd.DataFrame({"doc_id": ["d"] * len(texts), "sent_id": list(range(len(texts))),
                              "start": [0] * len(texts), "end": [len(t) for t in texts], "text": list(texts)})
    documents = pd.DataFrame({"doc_id": ["d"], "outlet": ["O"], "published": [pd.Timestamp(published)]})
    return extract_events(sentences, documents)


def one(text, **kw):
    ev = events_of(text, **kw)
    assert len(ev) == 1, ev[["weapon", "quantity", "status", "cue"]].to_dict("records")
    return ev.iloc[0]


# Status: the verb of the transfer, the longer cue winning, tense and governing verbs.
def test_cleared_the_possible_sale_is_an_approval():
    assert one("The agency cleared the possible sale of 40 patrol boats to Norway.").status == "approved"


def test_promises_packages_and_progressive_deliveries_are_scheduled():
    assert one("The government promised a further 20 frigates to Chile.").status == "scheduled"
    assert one("The aid package includes 12 howitzers for Chile.").status == "scheduled"
    assert one("Norway is sending three corvettes to Chile.").status == "scheduled"
    assert one("Norway has pledged to deliver 30 tanks to Chile.").status == "scheduled"


def test_requests_and_orders():
    assert one("The navy has asked for 300 torpedoes from Norway.").status == "requested"
    assert one("Chile signed a contract for 6 corvettes with Norway.").status == "ordered"
    # an order verb governed by a request is the request: "requested permission to purchase"
    ev = one("Chile requested permission to purchase 40 F-16s from the United States.")
    assert (ev.status, ev.supplier, ev.recipient) == ("requested", "United States", "Chile")


def test_poised_to_approve_sending_is_a_proposal():
    assert one("The United States is poised to approve sending a Patriot missile battery to Chile.").status == "proposed"


def test_negation_makes_no_event():
    assert events_of("Chile has not yet received the 40 tanks from Norway.").empty


def test_a_cue_word_inside_a_weapon_name_is_no_cue():
    # "Launched" names the missile; "anti-ship" holds no shipping verb
    ev = one("Norway approved the sale of 400 Harpoon Block II Surface Launched Missiles to Chile.")
    assert (ev.status, ev.quantity) == ("approved", 400)
    assert "Surface Launched Missiles" in ev.weapon_text
    ev = one("Chile approved the purchase of 12 anti-ship missiles from Norway.")
    assert ev.status in ("approved", "ordered")


def test_destroyed_is_other_and_keeps_the_transfer_parties():
    ev = events_of("Norway sent 12 HIMARS to Chile in May.", "Peru said it destroyed two HIMARS near the border.")
    destroyed = ev[ev.status == "other"].iloc[0]
    assert destroyed.quantity == 2 and (destroyed.supplier, destroyed.recipient) == ("Norway", "Chile")


# Counts: lists, words, totals, counts that are no transfer.
def test_several_weapons_and_counts_in_one_sentence():
    ev = events_of("Norway will deliver 6 frigates, 24 helicopters and 300 torpedoes to Chile.")
    assert sorted(ev.quantity) == [6, 24, 300] and set(ev.status) == {"scheduled"}


def test_counts_in_words_and_a_named_unit():
    assert one("Norway sold three corvettes to Chile.").quantity == 3
    assert one("Norway sold a dozen tanks to Chile.").quantity == 12
    ev = one("Norway will send a Patriot missile battery to Chile.")
    assert ev.quantity == 1 and ev.weapon == "Patriot" and ev.weapon_text.endswith("battery")


def test_units_of_a_weapon_count_the_weapon():
    ev = one("Norway is sending four units of the HIMARS launcher to Chile.")
    assert (ev.weapon, ev.quantity) == ("HIMARS", 4)


def test_a_total_and_the_count_of_deals():
    ev = events_of("Norway delivered 40 armoured vehicles, 10 of them ambulances, to Chile.")
    assert 40 in set(ev.quantity)
    assert events_of("Norway announced three arms sale deals with Chile.").quantity.isna().all()


def test_a_fleet_awaiting_repair_is_no_transfer():
    assert events_of("The air force has 200 jets awaiting repair.").empty


def test_modifiers_between_count_and_noun():
    ev = events_of("Norway will send 15,000 155mm artillery rounds and 18 coastal and riverine patrol boats to Chile.")
    assert sorted(ev.quantity) == [18, 15000]
    assert set(ev.weapon_text) == {"155mm artillery rounds", "coastal and riverine patrol boats"}


def test_a_count_after_the_verb_and_before_it():
    ev = events_of("Norway sent four NASAMS to Chile in May and pledged to deliver eight by July.")
    assert sorted(zip(ev.quantity, ev.status)) == [(4, "delivered"), (8, "scheduled")]
    ev = events_of("Norway will send four more HIMARS, in addition to the four that have already been deployed.")
    assert sorted(zip(ev.quantity, ev.status)) == [(4, "delivered"), (4, "scheduled")]


# Weapons named by designation, by a noun only, or not in the gazetteer.
def test_a_generic_noun_takes_the_weapon_named_before():
    ev = events_of("Norway will transfer three M270s to Chile.", "The rocket launchers will arrive in June.")
    assert set(ev.weapon) == {"M270 MLRS"}


def test_a_weapon_the_gazetteer_lacks_keeps_its_class_and_is_listed():
    ev = one("Norway will deliver 18 Zephyr howitzers to Chile.")
    assert (ev.weapon, ev.quantity, ev.weapon_text, ev.unlisted) == ("artillery (unspecified)", 18,
                                                                     "Zephyr howitzers", "Zephyr")
    listed = unlisted_weapons(events_of("Norway will deliver 18 Zephyr howitzers to Chile."))
    assert listed[["unlisted", "weapon_category", "reports"]].values.tolist() == [["Zephyr", "artillery", 1]]


def test_a_depot_is_not_a_weapon():
    assert events_of("Peru said it destroyed two ammunition depots near the border.").empty


# Lists and repeats.
def test_a_list_with_no_verb_continues_the_sentence_before():
    ev = events_of("Norway approved a package for Chile that includes 12 HIMARS:", "Three tactical vehicles",
                   "Six radars")
    assert sorted(zip(ev.quantity, ev.status)) == [(3, "approved"), (6, "approved"), (12, "approved")]


def test_also_included_takes_the_status_of_the_sale_before():
    ev = events_of("Norway approved the sale of 11 HIMARS to Chile.", "Also included are 135 SLAM-ER missiles.")
    assert set(ev.status) == {"approved"} and sorted(ev.quantity) == [11, 135]


def test_a_repeated_report_is_one_row():
    ev = events_of("Norway sends 12 HIMARS to Chile.", "Norway sends 12 HIMARS to Chile, officials said.")
    assert len(ev) == 1


# Parties follow the direction of the transfer.
def test_parties_from_maker_and_aid_to():
    ev = one("Norwegian aid to Chile will include 20 US-made HIMARS.")
    assert (ev.supplier, ev.recipient) == ("Norway", "Chile")  # the giver of the aid, not the maker
    ev = one("Peru said it destroyed two US-made HIMARS.")
    assert ev.supplier == "United States"  # with no sender named, the maker


def test_a_buyer_asking_is_the_recipient():
    ev = one("The Chilean ministry asked to buy 40 patrol boats from Norway.")
    assert (ev.status, ev.supplier, ev.recipient) == ("requested", "Norway", "Chile")


def test_continuing_events_looks_at_each_event_a_bounded_number_of_times():
    # continue_events used to scan every earlier event for each event (quadratic in an article's events);
    # it now keeps the latest ones per weapon. Counted: how often a mention's weapon is read.
    from types import SimpleNamespace

    from newslens.analyses.events import continue_events
    from newslens.analyses.events.sentence import Event

    reads = [0]

    class Mention:
        generic = False

        @property
        def weapon(self):
            reads[0] += 1
            return "HIMARS"

    def article(n):
        return [Event(mention=Mention(), cue=SimpleNamespace(strong=i % 2 == 0), sent_index=i,
                      date=SimpleNamespace() if i % 3 == 0 else None, status="delivered") for i in range(n)]

    for n in (500, 2000):
        reads[0] = 0
        events = article(n)
        continue_events(events)
        assert reads[0] <= 3 * n
    assert events[1].date is events[0].date and events[1].date_source == "earlier sentence"


def test_a_package_is_a_sale_or_aid_as_the_article_says():
    sale = events_of("Norway approved the sale of 11 HIMARS to Chile.", "The package includes 40 radars.")
    assert set(sale.status) == {"approved"}
    aid = events_of("Norway approved a military aid package of 11 HIMARS for Chile.", "The package includes 40 radars.")
    assert aid[aid.quantity == 40].status.tolist() == ["scheduled"]


def test_a_sentence_with_a_verb_of_its_own_continues_no_list():
    ev = events_of("Norway approved the sale of 11 HIMARS to Chile.",
                   "The HIMARS is a mobile system that can fire six rockets.")
    assert ev.quantity.tolist() == [11]


def test_the_subject_of_a_list_and_the_target_shot_down_are_no_items():
    assert events_of("A Patriot system consists of a radar and eight launchers.").query("quantity == 1").empty
    ev = events_of("Norway sent Patriots to Chile.", "The Patriots shot down six Kinzhal missiles.")
    assert "Kinzhal" not in set(ev.weapon)


def test_a_vague_request_is_kept_beside_a_precise_delivery():
    ev = events_of("Chile had requested Patriot systems from Norway.", "Norway delivered two Patriot batteries to Chile.")
    assert set(ev.status) == {"requested", "delivered"}


def test_a_catch_all_beside_named_weapons_is_no_event_of_its_own():
    ev = events_of("Sales of Bell helicopters and other military equipment to Chile are still waiting approval.")
    assert ev.weapon.tolist() == ["Bell helicopters"]


def test_a_variant_letter_written_apart_is_joined():
    assert one("Chile requested 32 F-16 C Block 70 aircraft from the United States.").weapon_text.startswith("F-16C")


def test_parties_around_attribution_protection_permission_and_allies():
    ev = one("Norway will send 20 NASAMS to Chile to protect it from Peruvian strikes, according to Norway.")
    assert (ev.supplier, ev.recipient) == ("Norway", "Chile")
    ev = one("Norway allowed Chile to purchase 100 Harpoon Coastal Defense Systems.")
    assert (ev.status, ev.supplier, ev.recipient) == ("approved", "Norway", "Chile")
    ev = one("Norway approved the sale of 20 F-35 jets to fellow NATO ally Denmark.")
    assert (ev.supplier, ev.recipient) == ("Norway", "Denmark")


def test_a_list_after_an_approval_that_named_no_weapon_is_approved():
    ev = events_of("Norway approved three arms sales to Chile on Monday.", "These weapons include 11 HIMARS launchers.",
                   "They also covered 135 SLAM-ER missiles.")
    ev = ev[ev.quantity.notna()]
    assert sorted(zip(ev.quantity, ev.status)) == [(11, "approved"), (135, "approved")]


def test_units_of_a_weapon_named_in_apposition_and_adverbs_in_the_verb():
    ev = one("Britain is also sending three units of a similar weapon, the M270 rocket launcher, to Chile.")
    assert (ev.weapon, ev.quantity, ev.status) == ("M270 MLRS", 3, "scheduled")
    assert one("Norway will also transfer three M270s to Chile.").status == "scheduled"


def test_the_count_with_a_relative_clause_stands_for_the_weapon_before():
    ev = events_of("Norway will send four more HIMARS to Chile.", "The eight that have already been sent are in use.")
    assert sorted(zip(ev.quantity, ev.status)) == [(4, "scheduled"), (8, "delivered")]


def test_a_weapon_named_without_its_supplier_takes_its_makers_state():
    ev = events_of("The United States approved the sale of 40 F-16s to Turkey.",
                   "Turkey had bought two S-400 batteries in 2017.")
    s400 = ev[ev.weapon == "S-400"].iloc[0]
    assert (s400.supplier, s400.recipient) == ("Russia", "Turkey")


def test_a_named_sender_wins_over_the_maker_and_the_article_names_the_recipient():
    ev = one("Britain is sending three American-made M270 launchers to Chile.")
    assert (ev.supplier, ev.recipient) == ("United Kingdom", "Chile")
    ev = events_of("Norway pledged more military aid on Monday as Chile's army rebuilds.", "The package includes 20 radars.")
    assert (ev.iloc[0].supplier, ev.iloc[0].recipient) == ("Norway", "Chile")


def test_formal_notifications_are_approvals():
    ev = events_of("The formal notifications to the Congress were for 11 HIMARS at an estimated cost of $436 million.")
    assert ev.status.tolist() == ["approved"] and ev.quantity.tolist() == [11]


def test_sending_a_notification_is_an_approval_and_a_coordinated_buy_is_a_request():
    ev = one("Norway approved the sale of 40 F-16 aircraft to Chile, sending formal notification to parliament.")
    assert ev.status == "approved"
    ev = one("Chile has been seeking to modernize its fleet and buy 40 new F-16 jets from Norway.")
    assert (ev.status, ev.quantity) == ("requested", 40)
    ev = one("Norway notified Congress of the planned sale to Chile of F-16 avionics software upgrades.")
    assert ev.weapon_text.endswith("upgrades") and ev.status == "approved"


def test_plans_for_supplying_is_a_proposal():
    assert one("Norway was finalizing plans for supplying Patriot systems to Chile.").status == "proposed"


def test_a_calibre_is_no_unlisted_name():
    assert one("Norway will send 15,000 155mm artillery rounds to Chile.").unlisted == ""


def test_rounds_of_a_calibre_keep_their_own_kind():
    ev = events_of("Norway will send GMLRS rockets to Chile.", "It will also send 15,000 155mm artillery rounds.")
    assert ev[ev.quantity == 15000].weapon.tolist() == ["ammunition (unspecified)"]
