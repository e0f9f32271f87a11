// The timeline: interventions applied at the start of a week (ODD 7.11).
#pragma once

#include <string>
#include <vector>

#include "model/world.hpp"
#include "scenario/scenario.hpp"

namespace ripple::model {

// Applies one intervention to the world and logs it; throws InternalError for an
// unknown key (the scenario checker has refused those already).
void apply_intervention(World& w, const scenario::Intervention& x,
                        std::vector<EventRecord>& events);

// Something done for one person or their family, between weeks (a trial arm, a live
// what-if in the viewer). Logged as an intervention event of the person.
struct PersonAction {
  enum class Kind : std::uint8_t {
    Psychoeducation,  // the person's carer gets a programme place (an extra one if full)
    Enrol,            // into `service` (enrol_now)
    SoftenTie,        // the tie person-other loses `amount` of its strength, for good
    RemoveTie,        // the tie person-other ends, on both sides
    SupportiveTie,    // the person's side of the tie turns supportive; conflict ends
    // Added for the teaching stories (timeline only; not in the API's PersonAction):
    DevalueTie,       // the person's side of the tie turns stressor, with an event's shock
    GiveConsent,      // the person consents to involving the family
    WithdrawConsent,  // the person withdraws that consent; the family is no longer involved
  };
  Kind kind = Kind::Enrol;
  PersonId person = kNoPerson;
  PersonId other = kNoPerson;
  ServiceKind service = ServiceKind::Cmhc;
  float amount = 0.5f;
  bool beyond_capacity = false;
};

// Applies the action; returns "" when done, else why it could not be, in plain words
// (no carer, no such tie, ...). Persons must exist (the API checks).
std::string apply_person_action(World& w, const PersonAction& action,
                                std::vector<EventRecord>& events);

// Makes person i a worker of service k (peer worker or professional), with no clients.
void hire_worker(World& w, PersonId i, ServiceKind k);

// Brings staff numbers, beds and programme places in line with the parameters: hires
// workers for a service that opened or grew (a grown service's new workers start with
// empty caseloads).
void refresh_services(World& w);

// After a timeline change (ODD 7.11): lets go of the workers a service no longer wants,
// the last hired first (never a story's character). Their clients leave the service
// and, while it stays open, join its waiting list again as new referrals. A service
// switched off loses every client and its waiting list.
void shrink_services(World& w, std::vector<EventRecord>& events);

}  // namespace ripple::model
