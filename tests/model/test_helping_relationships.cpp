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
