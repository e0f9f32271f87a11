// Process 7: relational ripple effects (ODD 7.7; DOMAIN.md study 3).
//
// Reads:   this week's state of the person, Scratch::shock, received and flags.
// Writes:  the person's entry of next_signal (what neighbours will see next week),
//          including the distress it sends along its ties.
// Params:  ripple.crisis_signal, ripple.attenuation, ripple.recovered_index.
//
// Runs last in the person pass because it publishes the week's result. A person sends
// distress when a crisis starts (more while it lasts), when grieving or hit by events,
// and passes on a share `attenuation` of what it received: effects therefore fade
// with each degree of separation (Rosenquist et al. 2011 found none by the fourth).
// Recovery travels too: a recovered peer is flagged, and those tied to them gain hope.
#include "model/process.hpp"

namespace ripple::model {
namespace {

inline constexpr std::uint8_t kInvolvedBit = 2;  // Persons::consent bit, see family_backing.cpp

void publish(Block& b, PersonId i) {
  World& w = b.w;
  const Persons& p = w.persons;
  Signal out{};
  if (!p.alive[i]) {
    w.next_signal[i] = out;
    return;
  }
  const std::size_t li = b.local(i);
  const auto& rp = w.params.ripple;
  const auto episode = static_cast<Episode>(p.episode[i]);
  float distress = static_cast<float>(rp.attenuation) * b.s.received[li] +
                   static_cast<float>(rp.shock_share) * b.s.shock[li];
  if (b.s.flags[li] & kScratchCrisis) distress += static_cast<float>(rp.crisis_signal);
  if (in_episode(episode)) distress += static_cast<float>(rp.episode_signal * rp.crisis_signal);
  distress = std::min(distress, 63.0f);

  out.symptoms = pack01(p.symptoms[i]);
  out.recovery = pack01(p.recovery[i]);
  out.episode = p.episode[i];
  out.style = p.style[i];
  out.flags = kSigAlive;
  if (p.role[i] & kInRecovery) {
    out.flags |= kSigInRecovery;
    if (p.recovery[i] >= rp.recovered_index) out.flags |= kSigRecovered;
    if (p.consent[i] & kInvolvedBit) out.flags |= kSigFamilyInvolved;
  }
  if (p.psychoeducation_weeks[i] > 0) out.flags |= kSigPsychoeducated;
  out.distress = static_cast<std::uint16_t>(distress * 1024.0f);
  w.next_signal[i] = out;
}

}  // namespace

void ripple_propagation(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) publish(b, static_cast<PersonId>(i));
}

}  // namespace ripple::model
