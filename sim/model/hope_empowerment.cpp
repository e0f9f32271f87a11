// Process 9: hope and empowerment, and the personal-recovery index (ODD 7.9;
// DOMAIN.md studies 4 and 6; Leamy et al. 2011).
//
// Reads:   symptoms and their month average, episode, work, enrolment, alliance,
//          Scratch::presence, power_sharing, recovered_peers and flags.
// Writes:  hope, empowerment, symptoms_trend, recovery index.
// Params:  chime.*, services.peer_support.hope_gain.
//
// Hope rises with progress (symptoms below their month average), with ties to peers
// who have recovered and with professionals who convey it (scaled by alliance), and
// falls with setbacks. Empowerment rises when decisions are shared and falls with
// coercion and monitoring. The recovery index is the weighted mean of the five CHIME
// components (chime.recovery_weight_*, equal by default: Leamy et al. give no weights).
#include "model/process.hpp"

namespace ripple::model {
namespace {

void person_hope(Block& b, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  const auto& ch = w.params.chime;
  const std::size_t li = b.local(i);
  const auto episode = static_cast<Episode>(p.episode[i]);
  const std::uint8_t flags = b.s.flags[li];

  const float progress = p.symptoms_trend[i] - p.symptoms[i];
  float h_target =
      static_cast<float>(ch.hope_base) + static_cast<float>(ch.hope_progress) * progress;
  if (b.s.recovered_peers[li] > 0) h_target += static_cast<float>(ch.peer_hope);
  if (b.s.presence[li] > 0.0f)
    h_target +=
        static_cast<float>(ch.professional_hope) * p.alliance[i] * std::min(1.0f, b.s.presence[li]);
  if (p.enrolled[i] & service_bit(ServiceKind::PeerSupport))
    h_target += static_cast<float>(w.params.services.peer_support.hope_gain) *
                side_dose(w, i, ServiceKind::PeerSupport);
  if (in_episode(episode)) h_target -= static_cast<float>(ch.episode_hope);

  // Power sharing above or below a neutral point moves the target; outside services it
  // neither raises nor lowers it.
  const float sharing = b.s.presence[li] > 0.0f
                            ? b.s.power_sharing[li] - static_cast<float>(ch.power_sharing_neutral)
                            : 0.0f;
  float e_target = static_cast<float>(ch.empowerment_base) +
                   static_cast<float>(ch.power_sharing_empowerment) * sharing;
  if (flags & kScratchWatchdog) e_target -= static_cast<float>(ch.monitoring_empowerment);
  if (p.work[i] == static_cast<std::uint8_t>(Work::Employed))
    e_target += static_cast<float>(ch.work_empowerment);
  if (episode == Episode::Admitted) e_target -= static_cast<float>(ch.admission_empowerment);

  const float rate = static_cast<float>(ch.rate);
  float H = p.chime[1][i] + rate * (clamp01(h_target) - p.chime[1][i]);
  if (flags & kScratchRelapse) H -= static_cast<float>(ch.setback_hope);
  p.chime[1][i] = clamp01(H);
  p.chime[4][i] = clamp01(p.chime[4][i] + rate * (clamp01(e_target) - p.chime[4][i]));
  const auto trend = static_cast<float>(ch.trend_weight);
  p.symptoms_trend[i] =
      static_cast<float>(1.0 - ch.trend_weight) * p.symptoms_trend[i] + trend * p.symptoms[i];
  // Weighted mean; with equal weights it is 0.2f * (sum), bit for bit as before.
  const float wc = static_cast<float>(ch.recovery_weight_connectedness);
  const float wh = static_cast<float>(ch.recovery_weight_hope);
  const float wi = static_cast<float>(ch.recovery_weight_identity);
  const float wm = static_cast<float>(ch.recovery_weight_meaning);
  const float we = static_cast<float>(ch.recovery_weight_empowerment);
  const auto inv =
      static_cast<float>(1.0 / (ch.recovery_weight_connectedness + ch.recovery_weight_hope +
                                ch.recovery_weight_identity + ch.recovery_weight_meaning +
                                ch.recovery_weight_empowerment));
  p.recovery[i] = inv * (wc * p.chime[0][i] + wh * p.chime[1][i] + wi * p.chime[2][i] +
                         wm * p.chime[3][i] + we * p.chime[4][i]);
}

}  // namespace

void hope_empowerment(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) {
    // CHIME is tracked for persons in recovery; a first episode starts from the
    // values a person had before it.
    if (!b.w.persons.alive[i] || !(b.w.persons.role[i] & kInRecovery)) continue;
    person_hope(b, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
