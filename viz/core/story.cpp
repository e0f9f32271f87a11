#include "story.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ripple::viz {
namespace {

struct Pronouns {
  const char *subject, *object, *possessive;
};

Pronouns pronouns(const query::PersonState& p) {
  return p.male ? Pronouns{"he", "him", "his"} : Pronouns{"she", "her", "her"};
}

std::string code_name(const std::vector<std::string>& names, double code) {
  const auto k = static_cast<std::size_t>(std::max(0.0, code));
  std::string name = k < names.size() ? names[k] : "unknown";
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

// "partner", "relative", "friend", ... as the person would say it.
std::string relation_word(const std::string& relation) {
  if (relation == "household") return "relative at home";
  if (relation == "kin") return "relative";
  return relation;
}

}  // namespace

std::string describe_event(const io::Event& e, const query::Names& names,
                           const query::PersonState& person,
                           const std::vector<query::SocialTie>& ties,
                           const std::vector<query::Membership>& memberships) {
  const Pronouns p = pronouns(person);
  const std::string kind =
      e.kind < names.event_kind.size() ? names.event_kind[e.kind] : std::string("unknown");
  // Who the other party is, in the person's words.
  std::string who = "someone close to " + std::string(p.object);
  if (e.other != query::kNobody) {
    if (e.other == person.carer) {
      who = fmt::format("{} carer", p.possessive);
    } else if (e.other == person.cares_for) {
      who = fmt::format("the person {} cares for", p.subject);
    } else {
      for (const query::SocialTie& t : ties)
        if (t.other == e.other) {
          who = fmt::format("{} {}", p.possessive,
                            relation_word(code_name(names.relation, t.relation)));
          break;
        }
    }
  }
  std::string arena = "an arena";
  for (const query::Membership& m : memberships)
    if (m.arena == e.other) {
      const std::string k = code_name(names.arena_kind, m.arena_kind);
      arena = "the " + (k == "faith" ? std::string("faith community") : k);
    }

  if (kind == "death") return fmt::format("{} died", p.subject);
  if (kind == "bereavement") return fmt::format("{} died; the tie is gone", who);
  if (kind == "breakup") return fmt::format("{} partnership ended", p.possessive);
  if (kind == "job_loss") return fmt::format("{} lost {} job", p.subject, p.possessive);
  if (kind == "job_found") return fmt::format("{} found a job", p.subject);
  if (kind == "debt_letter") return "a debt collector's letter came";
  if (kind == "family_conflict") return fmt::format("a conflict with {}", who);
  if (kind == "exclusion") return fmt::format("{} was left out at {}", p.subject, arena);
  if (kind == "family_devaluation") return fmt::format("{} belittled {}", who, p.object);
  if (kind == "relapse") return "a relapse: symptoms jumped";
  if (kind == "episode_start") return "an acute episode began";
  if (kind == "episode_end") return "the acute episode ended";
  if (kind == "admission") return fmt::format("{} was admitted to the ward", p.subject);
  if (kind == "discharge") return fmt::format("{} was discharged from the ward", p.subject);
  if (kind == "held_at_home") return fmt::format("a crisis was held at home by {}", who);
  if (kind == "referral")
    return fmt::format("referred to {}", code_name(names.service, e.magnitude));
  if (kind == "service_start") {
    if (e.other != query::kNobody && e.other == person.carer)
      return fmt::format("{} joined a family programme", who);
    return fmt::format("a helping relationship began (after {:.0f} weeks waiting)", e.magnitude);
  }
  if (kind == "service_end")
    return fmt::format("{} finished with {}", p.subject, code_name(names.service, e.magnitude));
  if (kind == "dropout")
    return fmt::format("{} dropped out of {}", p.subject, code_name(names.service, e.magnitude));
  if (kind == "staff_turnover")
    return fmt::format("{} contact person left; the helping relationship starts over",
                       p.possessive);
  if (kind == "style_change")
    return fmt::format("{} way of caring became {}", p.possessive,
                       code_name(names.caring_style, e.magnitude));
  if (kind == "consent_withdrawn")
    return fmt::format("{} no longer wants the family involved", p.subject);
  if (kind == "consent_given") return fmt::format("{} agreed to involve the family", p.subject);
  if (kind == "medication_started") return fmt::format("{} started a medication", p.subject);
  if (kind == "medication_helpful") return "the medication began to help";
  if (kind == "medication_stopped") return fmt::format("{} stopped the medication", p.subject);
  if (kind == "joined_arena") return fmt::format("{} joined {}", p.subject, arena);
  if (kind == "left_arena") return fmt::format("{} left {}", p.subject, arena);
  if (kind == "intervention") return "an intervention changed the services";
  std::string words = kind;
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

std::vector<StoryLine> life_story(const query::Source& source, std::uint32_t id,
                                  float stress_change) {
  std::vector<StoryLine> story;
  const auto person = source.person(id);
  if (!person) return story;
  const std::vector<io::Event> events = source.events(id);
  const std::vector<query::SocialTie> ties = source.ties(id);
  const std::vector<query::Membership> memberships = source.memberships(id);
  const auto stress = source.stress_history(id);
  // Stress just before the week and at the first record from the week on.
  const auto stress_words = [&](std::int64_t week) -> std::string {
    const float* before = nullptr;
    const float* after = nullptr;
    for (const auto& [at, value] : stress) {
      if (at < week) before = &value;
      if (at >= week && after == nullptr) after = &value;
    }
    if (before == nullptr || after == nullptr) return {};
    if (*after - *before >= stress_change) return "stress rose";
    if (*before - *after >= stress_change) return "stress eased";
    return {};
  };
  for (const io::Event& e : events) {
    const std::string words = describe_event(e, source.names(), *person, ties, memberships);
    if (!story.empty() && story.back().step == e.step) {
      story.back().text += "; " + words;
    } else {
      story.push_back({e.step, fmt::format("week {}: {}", e.step, words)});
    }
  }
  for (StoryLine& line : story)
    if (const std::string s = stress_words(line.step); !s.empty()) line.text += "; " + s;
  return story;
}

}  // namespace ripple::viz
