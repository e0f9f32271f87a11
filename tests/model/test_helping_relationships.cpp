// Process 5, helping relationships (ODD 7.5): contacts delivered after administration,
// alliance built by contact, and turnover that starts a relationship again.
#include <catch2/catch.hpp>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::count_events;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

TEST_CASE("staff turnover resets the alliance to its starting level and is logged",
          "[model][helping]") {
  // Person 0 is a client of CMHC therapist 1 with a strong alliance; 2 is a control
  // client of therapist 3, who stays.
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  TinyWorld t(4, params);
  for (PersonId client : {0u, 2u}) {
    t.in_recovery(client, Profile::Psychosis, 0.5f);
    t.set_symptoms(client, 0.4f, Episode::Struggling);
  }
  t.hire(1, ServiceKind::Cmhc);
  t.hire(3, ServiceKind::Cmhc);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.8f);
  t.enrol(2, ServiceKind::Cmhc, 3, 0.8f);
  t.step(4);
  REQUIRE(t.w.persons.alliance[0] > 0.8f);
  REQUIRE(t.w.persons.continuity_weeks[0] == 4);
  CHECK(count_events(t.events, EventKind::StaffTurnover, 0) == 0);

  // Therapist 1 leaves and is replaced at once (a new generation of the post).
  ++t.w.staff.generation[t.w.staff.index_of[1]];
  t.step();
  // The new relationship starts at helping.alliance_start = 0.2 and gains one contact's
  // worth: 0.08 * (0.5 * (1 - miss)) * quality ((0.6 + 0.4 + 0) / 3) * 0.8 = 0.006.
  const float start = static_cast<float>(params.helping.alliance_start);
  CHECK(t.w.persons.alliance[0] == Approx(start).margin(0.015));
  CHECK(t.w.persons.alliance[0] > start);
  CHECK(t.w.persons.continuity_weeks[0] == 1);
  CHECK(count_events(t.events, EventKind::StaffTurnover, 0) == 1);
  CHECK(t.w.persons.alliance[2] > 0.8f);  // the other client keeps their therapist
  CHECK(count_events(t.events, EventKind::StaffTurnover, 2) == 0);
  // Noticed once: the relationship then grows again from the new start.
  t.step(4);
  CHECK(count_events(t.events, EventKind::StaffTurnover, 0) == 1);
  CHECK(t.w.persons.alliance[0] > start + 0.01f);
}

TEST_CASE("more administrative overhead delivers fewer contacts", "[model][helping]") {
  // One CMHC therapist (7.5 hours a week, 1.5 hours a contact) with 9 clients, each
  // planned 0.5 contacts a week. Capacity per client = 7.5 * (1 - admin) / 1.5 / 9.
  auto build = [](double admin) {
    auto params = quiet_params();
    params.services.cmhc.hours_per_week = 7.5;
    params.services.cmhc.admin_share = admin;
    params.helping.discharge_after_weeks = 520;
    auto t = std::make_unique<TinyWorld>(10, params);
    t->hire(9, ServiceKind::Cmhc);
    for (PersonId i = 0; i < 9; ++i) {
      t->in_recovery(i, Profile::Depression, 0.5f);
      t->enrol(i, ServiceKind::Cmhc, 9, 0.5f);
    }
    return t;
  };
  auto sum_contacts = [](const TinyWorld& t) {
    float sum = 0.0f;
    for (PersonId i = 0; i < 9; ++i) sum += t.w.persons.contacts[i];
    return sum;
  };
  auto none = build(0.0), third = build(0.33), most = build(0.8);
  for (TinyWorld* t : {none.get(), third.get(), most.get()}) t->step();
  // Missed share: miss_base 0.15 * (1 + 2 * symptoms 0) * (1 - 0.5 * alliance 0.5).
  const float attend = 1.0f - 0.15f * 0.75f;
  CHECK(none->w.persons.contacts[0] == Approx(0.5f * attend).epsilon(1e-4));  // capacity 0.56 > 0.5
  CHECK(third->w.persons.contacts[0] == Approx(5.0f * 0.67f / 9.0f * attend).epsilon(1e-4));
  CHECK(most->w.persons.contacts[0] == Approx(5.0f * 0.2f / 9.0f * attend).epsilon(1e-4));
  CHECK(sum_contacts(*third) < sum_contacts(*none));
  CHECK(sum_contacts(*most) < 0.5f * sum_contacts(*third));
  // The tally counts them as office contacts.
  CHECK(most->last.contacts == Approx(sum_contacts(*most)).epsilon(1e-5));
}

TEST_CASE("contact builds alliance and coping, and therapy lowers symptoms", "[model][helping]") {
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.symptoms.adapt_rate = 0.0;  // symptoms move only through therapy
  params.symptoms.acute_adapt_rate = 0.0;
  TinyWorld t(3, params);
  t.hire(2, ServiceKind::Cmhc);
  for (PersonId i : {0u, 1u}) {
    t.in_recovery(i, Profile::Depression, 0.5f);
    t.set_symptoms(i, 0.5f, Episode::Struggling);
  }
  t.enrol(0, ServiceKind::Cmhc, 2, 0.2f);  // person 1 has no therapist
  t.step(26);
  CHECK(t.w.persons.alliance[0] > 0.3f);
  CHECK(t.w.persons.coping[0] > t.w.persons.coping[1] + 0.02f);
  CHECK(t.w.persons.symptoms[0] < 0.5f - 0.02f);
  CHECK(t.w.persons.symptoms[1] == 0.5f);
  CHECK(t.w.persons.coping[1] == 0.5f);
}

TEST_CASE("with no contacts planned an alliance fades and nothing is delivered",
          "[model][helping]") {
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.services.cmhc.contacts_per_week = 0.0;
  TinyWorld t(2, params);
  t.hire(1, ServiceKind::Cmhc);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.5f);
  t.step(10);
  CHECK(t.w.persons.contacts[0] == 0.0f);
  CHECK(t.last.contacts == 0.0);
  // helping.alliance_decay: 1% a week.
  CHECK(t.w.persons.alliance[0] == Approx(0.5f * std::pow(0.99f, 10.0f)).epsilon(1e-4));
}

// Two otherwise identical clients of the same service, each with their own therapist;
// only a service parameter differs between the two worlds.
namespace {

struct Pair {
  float alliance, stress;
};

Pair client_after(double transcending, double availability, int weeks) {
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.services.cmhc.transcending = transcending;
  params.services.cmhc.availability = availability;
  TinyWorld t(3, params);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.set_symptoms(0, 0.4f, Episode::Struggling);
  t.tie(0, 2, Relation::Friend, 0.5f, TieKind::Stressor);  // a steady load to buffer
  t.hire(1, ServiceKind::Cmhc);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.2f);
  t.step(weeks);
  return {t.w.persons.alliance[0], t.w.persons.stress[0]};
}

}  // namespace

TEST_CASE("a worker who goes beyond the professional role builds trust faster",
          "[model][helping]") {
  const Pair plain = client_after(0.0, 0.0, 12);
  const Pair beyond = client_after(1.0, 0.0, 12);
  CHECK(beyond.alliance > plain.alliance + 0.01f);
  CHECK(plain.alliance > 0.2f);  // both relationships grew
}

TEST_CASE("knowing one can call the service between appointments buffers stress",
          "[model][helping]") {
  const Pair closed = client_after(0.0, 0.0, 12);
  const Pair open = client_after(0.0, 1.0, 12);
  CHECK(open.stress < closed.stress);
  CHECK(closed.stress > 0.0f);
  // Availability works through stress, not through trust: the alliance moves only
  // a little (through fewer missed contacts as symptoms ease).
  CHECK(open.alliance == Approx(closed.alliance).margin(0.01));
}

TEST_CASE("supported employment, peer support and coordination act in proportion to contacts",
          "[model][helping]") {
  // One employment specialist, one peer worker and one coordinator, each with 8 clients.
  // A contact takes helping.contact_hours 1.5; capacity per client is hours * (1 -
  // admin) / 1.5 / 8. Planned contacts are 1 (IPS, peer) and 0.5 (coordinator), and
  // the effect is full at those numbers (full_effect_contacts).
  auto build = [](double hours) {
    auto params = quiet_params();
    for (auto* on : {&params.services.ips.enabled, &params.services.peer_support.enabled,
                     &params.services.coordinator.enabled, &params.services.cmhc.enabled})
      *on = true;
    params.services.ips.hours_per_week = hours;
    params.services.ips.admin_share = 0.25;
    params.services.peer_support.hours_per_week = hours;
    params.services.coordinator.hours_per_week = hours;
    params.services.coordinator.admin_share = 0.2;
    params.helping.discharge_after_weeks = 520;
    auto t = std::make_unique<TinyWorld>(12, params);
    t->hire(8, ServiceKind::Ips);
    t->hire(9, ServiceKind::PeerSupport);
    t->hire(10, ServiceKind::Coordinator);
    t->hire(11, ServiceKind::Cmhc);
    for (PersonId i = 0; i < 8; ++i) {
      t->in_recovery(i, Profile::Depression, 0.3f);
      t->enrol(i, ServiceKind::Cmhc, 11, 0.5f);
      t->enrol(i, ServiceKind::Ips, 8, 0.0f);
      t->enrol(i, ServiceKind::PeerSupport, 9, 0.0f);
      t->enrol(i, ServiceKind::Coordinator, 10, 0.0f);
    }
    return t;
  };
  auto staffed = build(37.5), stretched = build(6.0);
  // Well staffed: every planned contact fits, so the doses are full.
  CHECK(side_delivered(staffed->w, 0, ServiceKind::Ips) == Approx(1.0f));
  CHECK(side_dose(staffed->w, 0, ServiceKind::Ips) == Approx(1.0f));
  CHECK(side_dose(staffed->w, 0, ServiceKind::PeerSupport) == Approx(1.0f));
  CHECK(side_dose(staffed->w, 0, ServiceKind::Coordinator) == Approx(1.0f));
  // Stretched: 6 hours give 6 * 0.75 / 1.5 / 8 = 0.375 IPS contacts, 6 / 1.5 / 8 = 0.5
  // peer contacts and 6 * 0.8 / 1.5 / 8 = 0.4 coordinator contacts a client.
  CHECK(side_dose(stretched->w, 0, ServiceKind::Ips) == Approx(0.375f));
  CHECK(side_dose(stretched->w, 0, ServiceKind::PeerSupport) == Approx(0.5f));
  CHECK(side_dose(stretched->w, 0, ServiceKind::Coordinator) == Approx(0.4f / 0.5f));
  // The coordinator's relief shrinks with it: three navigated services (CMHC, IPS, peer)
  // leave 2 * (1 - 0.8 relief * dose) of fragmentation.
  CHECK(fragmentation(staffed->w, 0) == Approx(2.0f * (1.0f - 0.8f)));
  CHECK(fragmentation(stretched->w, 0) == Approx(2.0f * (1.0f - 0.8f * 0.8f)));
  // The contacts count as service use: the week's tally holds them beside the CMHC's.
  staffed->step();
  stretched->step();
  float cmhc = 0.0f;
  for (PersonId i = 0; i < 8; ++i) cmhc += staffed->w.persons.contacts[i];
  CHECK(staffed->last.contacts == Approx(cmhc + 8 * (1.0f + 1.0f + 0.5f)).epsilon(1e-4));
  CHECK(stretched->last.contacts < staffed->last.contacts);
}

TEST_CASE("a drop-out is logged once and names the service left", "[model][helping]") {
  // Person 0, a CMHC client of therapist 1, drops out in the first week for certain.
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.helping.dropout_per_year = 1.0;
  TinyWorld t(2, params);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.set_symptoms(0, 0.4f, Episode::Struggling);
  t.hire(1, ServiceKind::Cmhc);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.1f);
  t.step();
  REQUIRE_FALSE(t.w.persons.enrolled[0] & service_bit(ServiceKind::Cmhc));
  CHECK(count_events(t.events, EventKind::Dropout, 0) == 1);
  CHECK(count_events(t.events, EventKind::ServiceEnd, 0) == 0);
  for (const EventRecord& e : t.events)
    if (e.kind == EventKind::Dropout) CHECK(e.magnitude == static_cast<float>(ServiceKind::Cmhc));
}

TEST_CASE("therapy lowers symptoms less for a person whose own network carries them",
          "[model][helping]") {
  // Persons 0 and 1 are clients of the same CMHC therapist (2) and start alike; person 0
  // has four close friends (3-6), support well above stress.support_saturation (2). ODD
  // 7.5: dose = n A' (1 - symptoms.extratherapeutic_share x support level), so in the
  // first week person 0's fall in symptoms is (1 - 0.4) of person 1's.
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.symptoms.adapt_rate = 0.0;  // symptoms move only through therapy
  params.symptoms.acute_adapt_rate = 0.0;
  TinyWorld t(7, params);
  for (PersonId friend_ = 3; friend_ < 7; ++friend_) t.tie(0, friend_, Relation::Friend, 1.0f);
  t.hire(2, ServiceKind::Cmhc);
  for (PersonId i : {0u, 1u}) {
    t.in_recovery(i, Profile::Depression, 0.5f);
    t.set_symptoms(i, 0.5f, Episode::Struggling);
    t.enrol(i, ServiceKind::Cmhc, 2, 0.5f);
  }
  t.step();
  REQUIRE(t.w.persons.contacts[0] == t.w.persons.contacts[1]);
  REQUIRE(t.w.persons.alliance[0] == t.w.persons.alliance[1]);
  const float carried = 0.5f - t.w.persons.symptoms[0];
  const float alone = 0.5f - t.w.persons.symptoms[1];
  CHECK(alone > 0.001f);
  CHECK(carried == Approx((1.0 - params.symptoms.extratherapeutic_share) * alone).epsilon(1e-3));
}

TEST_CASE("practical counselling pays down debt in proportion to the contacts delivered",
          "[model][helping]") {
  // The same indebted client in two worlds whose CMHC differs only in practical_counselling.
  // ODD 7.5: debt' = max(0, debt - helping.debt_counselling x practical_counselling x n).
  auto build = [](double practical) {
    auto params = quiet_params();
    params.helping.discharge_after_weeks = 520;
    params.services.cmhc.practical_counselling = practical;
    auto t = std::make_unique<TinyWorld>(2, params);
    t->in_recovery(0, Profile::Depression, 0.5f);
    t->set_symptoms(0, 0.4f, Episode::Struggling);
    t->w.persons.debt[0] = 0.6f;
    t->hire(1, ServiceKind::Cmhc);
    t->enrol(0, ServiceKind::Cmhc, 1, 0.5f);
    return t;
  };
  auto none = build(0.0), full = build(1.0);
  none->step();
  full->step();
  const float n = full->w.persons.contacts[0];
  REQUIRE(n > 0.1f);
  REQUIRE(none->w.persons.contacts[0] == n);
  CHECK(full->w.persons.debt[0] < none->w.persons.debt[0]);
  CHECK(none->w.persons.debt[0] - full->w.persons.debt[0] ==
        Approx(full->w.params.helping.debt_counselling * n).epsilon(1e-3));
}

TEST_CASE("an office-averse client attends only a share of office contacts, not of home visits",
          "[model][helping]") {
  // Persons 0 and 1 see the same CMHC therapist (2); person 0 cannot bear offices. ODD
  // 7.5: planned contacts x helping.office_attendance for an office-averse client of an
  // office-based service. An outreach worker (3) visits person 4, also office-averse, at home.
  auto params = ripple::testing::frozen_symptoms();
  params.helping.discharge_after_weeks = 520;
  params.helping.office_attendance = 0.3;
  params.services.outreach.enabled = true;
  TinyWorld t(5, params);
  t.hire(2, ServiceKind::Cmhc);
  t.hire(3, ServiceKind::Outreach);
  for (PersonId i : {0u, 1u, 4u}) {
    t.in_recovery(i, Profile::Depression, 0.5f);
    t.set_symptoms(i, 0.4f, Episode::Struggling);
  }
  t.w.persons.traits[0] |= kOfficeAversion;
  t.w.persons.traits[4] |= kOfficeAversion;
  t.enrol(0, ServiceKind::Cmhc, 2, 0.5f);
  t.enrol(1, ServiceKind::Cmhc, 2, 0.5f);
  t.enrol(4, ServiceKind::Outreach, 3, 0.5f);
  t.step();
  REQUIRE(t.w.persons.contacts[1] > 0.1f);
  CHECK(t.w.persons.contacts[0] ==
        Approx(params.helping.office_attendance * t.w.persons.contacts[1]).epsilon(1e-4));
  // At home nothing is lost to office aversion: the planned visits less the missed share.
  const auto& hp = params.helping;
  const double miss =
      hp.miss_base * (1.0 + hp.miss_symptom_factor * 0.4) * (1.0 - hp.miss_alliance_factor * 0.5);
  CHECK(t.w.persons.contacts[4] ==
        Approx(params.services.outreach.contacts_per_week * (1.0f - miss)).epsilon(1e-4));
}

namespace {

// Persons 0 (alliance 1) and 1 (alliance 0), struggling clients of CMHC therapist 2, in a
// world where the weekly drop-out chance is certain (dropout_per_year 1) before the
// alliance and follow-up factors of ODD 7.5.
std::unique_ptr<TinyWorld> certain_dropout(double alliance_effect, double follow_up,
                                           double service_follow_up) {
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.helping.dropout_per_year = 1.0;
  params.helping.dropout_alliance_effect = alliance_effect;
  params.helping.follow_up = follow_up;
  params.services.cmhc.follow_up = service_follow_up;
  auto t = std::make_unique<TinyWorld>(3, params);
  t->hire(2, ServiceKind::Cmhc);
  for (PersonId i : {0u, 1u}) {
    t->in_recovery(i, Profile::Depression, 0.5f);
    t->set_symptoms(i, 0.4f, Episode::Struggling);
  }
  t->enrol(0, ServiceKind::Cmhc, 2, 1.0f);
  t->enrol(1, ServiceKind::Cmhc, 2, 0.0f);
  return t;
}

}  // namespace

TEST_CASE("a strong alliance keeps a person in care where a weak one drops out",
          "[model][helping]") {
  // h x (1 + 2 (0.5 - A')): nil at A' = 1, about twice the certain chance at A' near 0.
  auto t = certain_dropout(2.0, 0.0, 0.0);
  const auto cmhc = service_bit(ServiceKind::Cmhc);
  t->step(10);
  CHECK(t->w.persons.enrolled[0] & cmhc);
  CHECK(count_events(t->events, EventKind::Dropout, 0) == 0);
  CHECK_FALSE(t->w.persons.enrolled[1] & cmhc);
  CHECK(count_events(t->events, EventKind::Dropout, 1) == 1);
  // Leaving a main service ends its alliance (ODD 7.8, step 1).
  CHECK(t->w.persons.alliance[1] == 0.0f);
}

TEST_CASE("a service that always follows up missed appointments prevents every drop-out",
          "[model][helping]") {
  // h x (1 - helping.follow_up x follow_up): with both at 1 nobody drops out, even the
  // client with no alliance; with the service's follow_up at 0 both clients leave.
  const auto cmhc = service_bit(ServiceKind::Cmhc);
  auto kept = certain_dropout(1.0, 1.0, 1.0);
  kept->step(10);
  auto lost = certain_dropout(0.0, 1.0, 0.0);
  lost->step();
  for (PersonId i : {0u, 1u}) {
    CHECK(kept->w.persons.enrolled[i] & cmhc);
    CHECK(count_events(kept->events, EventKind::Dropout, i) == 0);
    CHECK_FALSE(lost->w.persons.enrolled[i] & cmhc);
    CHECK(count_events(lost->events, EventKind::Dropout, i) == 1);
  }
}

TEST_CASE("a GP refers to Open Dialogue when it exists, else outreach for the office-averse",
          "[model][helping]") {
  // A struggling person outside care sees a GP every week (gp_visit_per_year 1), who
  // always refers (gp_referral 1). No service has staff, so the referral stays on the
  // waiting list where the test can see where it went. ODD 7.5, GP and referrals.
  auto referred_to = [](bool open_dialogue, bool outreach, bool office_averse) {
    auto params = quiet_params();
    params.services.gp.enabled = true;
    params.helping.gp_visit_per_year = 1.0;
    params.helping.gp_referral = 1.0;
    params.services.cmhc.enabled = true;
    params.services.outreach.enabled = outreach;
    params.services.open_dialogue.enabled = open_dialogue;
    TinyWorld t(1, params);
    t.in_recovery(0, Profile::Depression, 0.5f);
    t.set_symptoms(0, 0.4f, Episode::Struggling);
    if (office_averse) t.w.persons.traits[0] |= kOfficeAversion;
    t.step();
    REQUIRE(t.last.gp_visits == 1);
    return t.w.persons.waiting[0];
  };
  CHECK(referred_to(true, true, true) == service_bit(ServiceKind::OpenDialogue));
  CHECK(referred_to(true, false, false) == service_bit(ServiceKind::OpenDialogue));
  CHECK(referred_to(false, true, true) == service_bit(ServiceKind::Outreach));
  CHECK(referred_to(false, true, false) == service_bit(ServiceKind::Cmhc));
  CHECK(referred_to(false, false, true) == service_bit(ServiceKind::Cmhc));
}
