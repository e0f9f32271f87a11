#include "story.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ripple::viz {
namespace {

// How a sentence refers to the person: `subject` and `lead` (a possessive) open a
// sentence and are the name for a named character ("Per", "Per's"); `object` and
// `possessive` are always pronouns.
struct Pronouns {
  std::string subject, object, possessive, lead;
};

Pronouns pronouns(const query::PersonState& p, const PersonNames& named) {
  Pronouns words =
      p.male ? Pronouns{"he", "him", "his", "his"} : Pronouns{"she", "her", "her", "her"};
  if (const auto it = named.find(p.id); it != named.end()) {
    words.subject = it->second;
    words.lead = it->second + "'s";
  }
  return words;
}

// "Per" for a named person, else "".
std::string name_of(const PersonNames& named, std::uint32_t id) {
  const auto it = named.find(id);
  return it == named.end() ? std::string() : it->second;
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

PersonNames character_names(const query::Source& source) {
  PersonNames named;
  for (const std::uint32_t id : source.characters())
    if (std::string name = source.name(id); !name.empty()) named.emplace(id, std::move(name));
  return named;
}

std::string describe_event(const io::Event& e, const query::Names& names,
                           const query::PersonState& person,
                           const std::vector<query::SocialTie>& ties,
                           const std::vector<query::Membership>& memberships,
                           const PersonNames& named) {
  const Pronouns p = pronouns(person, named);
  const std::string kind =
      e.kind < names.event_kind.size() ? names.event_kind[e.kind] : std::string("unknown");
  // Who the other party is, in the person's words.
  std::string who = "someone close to " + p.object;
  if (e.other != query::kNobody) {
    const std::string other_name = name_of(named, e.other);
    if (!other_name.empty()) who = other_name;
    if (e.other == person.carer) {
      who = fmt::format("{} carer", p.possessive);
    } else if (e.other == person.cares_for) {
      who = other_name.empty() ? fmt::format("the person {} cares for", p.subject) : other_name;
    } else {
      for (const query::SocialTie& t : ties)
        if (t.other == e.other) {
          who = fmt::format("{} {}", p.possessive,
                            relation_word(code_name(names.relation, t.relation)));
          break;
        }
    }
    if (!other_name.empty() && who != other_name) who += " " + other_name;
  }
  std::string arena = "an arena";
  for (const query::Membership& m : memberships)
    if (m.arena == e.other) {
      const std::string k = code_name(names.arena_kind, m.arena_kind);
      arena = "the " + (k == "faith" ? std::string("faith community") : k);
    }

  if (kind == "death") return fmt::format("{} died", p.subject);
  if (kind == "bereavement") return fmt::format("{} died; the tie is gone", who);
  if (kind == "breakup") return fmt::format("{} partnership ended", p.lead);
  if (kind == "job_loss") return fmt::format("{} lost {} job", p.subject, p.possessive);
  if (kind == "job_found") return fmt::format("{} found a job", p.subject);
  if (kind == "debt_letter") return "a debt collector's letter came";
  if (kind == "family_conflict") return fmt::format("a conflict with {}", who);
  if (kind == "exclusion") return fmt::format("{} was left out at {}", p.subject, arena);
  if (kind == "family_devaluation") return fmt::format("{} belittled {}", who, p.object);
  if (kind == "relapse") return "a relapse: symptoms jumped";
  if (kind == "onset") return "a first episode: symptoms jumped, and recovery began";
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
    return fmt::format("{} contact person left; the helping relationship starts over", p.lead);
  if (kind == "style_change")
    return fmt::format("{} way of caring became {}", p.lead,
                       code_name(names.caring_style, e.magnitude));
  if (kind == "consent_withdrawn")
    return fmt::format("{} no longer wants the family involved", p.subject);
  if (kind == "consent_given") return fmt::format("{} agreed to involve the family", p.subject);
  if (kind == "medication_started") return fmt::format("{} started a medication", p.subject);
  if (kind == "medication_helpful") return "the medication began to help";
  if (kind == "medication_stopped") return fmt::format("{} stopped the medication", p.subject);
  if (kind == "joined_arena") return fmt::format("{} joined {}", p.subject, arena);
  if (kind == "left_arena") return fmt::format("{} left {}", p.subject, arena);
  if (kind == "intervention") {
    // A per-person action (PersonAction::Kind in `magnitude`): a trial arm, a timeline
    // entry or a live what-if.
    switch (static_cast<int>(e.magnitude)) {
      case 0:
        return fmt::format("family psychoeducation was offered to {} carer", p.possessive);
      case 1:
        return fmt::format("a service place was arranged for {}", p.object);
      case 2:
        return fmt::format("the tie with {} was eased", who);
      case 3:
        return fmt::format("the tie with {} was ended", who);
      case 4:
        return fmt::format("{} came to see {} as a support", p.subject, who);
      case 5:
        return fmt::format("{} felt devalued by {}", p.subject, who);
      case 6:
        return fmt::format("{} agreed to involve the family", p.subject);
      case 7:
        return fmt::format("{} no longer wants the family involved", p.subject);
      default:
        return "an intervention changed the services";
    }
  }
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
  // Stress just before the week and at the first record from the week on, only when
  // those records are one week apart: records output.interval weeks apart would fold
  // in every other change of those weeks ("a conflict with her partner; stress eased").
  const auto stress_words = [&](std::int64_t week) -> std::string {
    const std::pair<std::int64_t, float>* before = nullptr;
    const std::pair<std::int64_t, float>* after = nullptr;
    for (const auto& record : stress) {
      if (record.first < week) before = &record;
      if (record.first >= week && after == nullptr) after = &record;
    }
    if (before == nullptr || after == nullptr || after->first - before->first != 1) return {};
    if (after->second - before->second >= stress_change) return "stress rose";
    if (before->second - after->second >= stress_change) return "stress eased";
    return {};
  };
  const PersonNames named = character_names(source);
  for (const io::Event& e : events) {
    const std::string words = describe_event(e, source.names(), *person, ties, memberships, named);
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
