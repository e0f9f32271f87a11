// The week, in one place (ODD 3: process overview and scheduling).
//
// Person pass, in parallel over fixed blocks of persons. Each person, in this order:
//   1. life_events            deaths, bereavement, break-ups, job loss, debt, conflict, exclusion
//   2. stress_buffering       stressors in, support/belonging/coping buffer them
//   3. symptoms_episodes      symptoms, relapses, episodes, medication, bed requests
//   4. belonging_work         arenas, standing, work, finances; connectedness, identity, meaning
//   5. helping_relationships  contacts, alliance, therapy, drop-out, referrals
//   6. family_backing         carer burden and style, consent, co-therapist involvement
//   9. hope_empowerment       hope, empowerment, recovery index
//   7. ripple_propagation     publishes what neighbours see next week (distress, recovery)
// Before it, in parallel over households: what each household pools (income, debt).
// Then, once, in a fixed order:
//   8. service_system         beds, caseloads, waiting lists, programme places, turnover
// Process 7 runs after 9 because it publishes the week's final state; neighbours only
// ever read last week's published state, so the pass is synchronous (read t, write t+1).
#include "model/step.hpp"

#include "model/summary.hpp"

namespace ripple::model {

void refresh_capacity(World& w) {
  for (std::size_t s = 0; s < w.staff.person.size(); ++s) {
    const Staffing staff = staffing(w.params, static_cast<ServiceKind>(w.staff.service[s]));
    // Administration and documentation take their share before any client is seen.
    w.staff.capacity_contacts[s] = static_cast<float>(
        staff.hours_per_week * (1.0 - staff.admin_share) / w.params.helping.contact_hours);
  }
}

Tally tally_world(const World& w) {
  const std::size_t blocks = core::block_count(w.persons.n);
  std::vector<Tally> tallies(blocks);
  core::for_blocks(w.persons.n, [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) tally_person(w, static_cast<PersonId>(i), tallies[b]);
  });
  Tally total;
  for (const Tally& t : tallies) total.add(t);
  return total;
}

void step_week(World& w, WeekBuffers& buf, WeekResult& result) {
  const Rates rates = derive_rates(w.params);
  refresh_capacity(w);
  // What one membership adds to belonging (ODD 7.4): climate times how often it meets.
  w.arenas.weight.resize(w.arenas.kind.size());
  for (std::size_t a = 0; a < w.arenas.kind.size(); ++a)
    w.arenas.weight[a] = w.arenas.climate[a] * static_cast<float>(rates.rhythm[w.arenas.kind[a]]);
  pool_households(w);
  w.seen.resize(w.persons.n);
  core::for_blocks(w.persons.n, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) w.seen[i] = seen_of(w.signal[i]);
  });
  const std::size_t blocks = core::block_count(w.persons.n);
  buf.requests.resize(blocks);
  buf.events.resize(blocks);
  buf.tallies.assign(blocks, Tally{});
  core::for_blocks(w.persons.n, [&](std::size_t bi, std::size_t begin, std::size_t end) {
    Scratch& scratch = buf.scratch.local();
    buf.requests[bi].clear();
    buf.events[bi].clear();
    Block b{w, rates, begin, end, scratch, buf.requests[bi], buf.events[bi], buf.tallies[bi]};
    const auto week = static_cast<std::uint32_t>(w.week);
    for (std::size_t i = begin; i < end; ++i)
      scratch.week_key[i - begin] =
          core::WeekKey::of(w.rng.week_key(static_cast<PersonId>(i), week));
    life_events(b);
    stress_buffering(b);
    symptoms_episodes(b);
    belonging_work(b);
    helping_relationships(b);
    family_backing(b);
    hope_empowerment(b);
    ripple_propagation(b);
    tally_block(b);
  });

  result.events.clear();
  std::vector<Request> requests;
  Tally tally;
  for (std::size_t bi = 0; bi < blocks; ++bi) {
    requests.insert(requests.end(), buf.requests[bi].begin(), buf.requests[bi].end());
    result.events.insert(result.events.end(), buf.events[bi].begin(), buf.events[bi].end());
    tally.add(buf.tallies[bi]);
  }
  service_system(w, rates, requests, result.events, tally);
  result.tally = tally;
  w.signal.swap(w.next_signal);
  ++w.week;
}

}  // namespace ripple::model
