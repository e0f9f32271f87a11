// The window: SFML draws the network, ImGui the panels. Everything that can be tested
// without a window (graph, layout, colours, stories) lives in viz/core.
#include "viewer.hpp"

#include <fmt/format.h>
#include <imgui.h>

#include <SFML/Graphics.hpp>
#include <SFML/OpenGL.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>

#include "actions.hpp"
#include "draw.hpp"
#include "graph.hpp"
#include "imgui_sfml.hpp"
#include "layout.hpp"
#include "ripple/errors.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "story.hpp"
#include "style.hpp"

namespace ripple::viz {
namespace {

constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float kPanelWidth = 400.0f;    // the person inspector, on the right
constexpr float kBottomHeight = 230.0f;  // controls and population plots, at the bottom

// The outcomes plotted in the population panel.
constexpr const char* kPlotted[] = {"recovery_index_mean", "in_episode", "employed", "isolated",
                                    "carer_burden_mean"};
constexpr const char* kPlotLabels[] = {"recovery index", "in an episode", "employed", "isolated",
                                       "carer burden"};

sf::Color colour(Rgba c) { return {c.r, c.g, c.b, c.a}; }
ImU32 im_colour(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }

std::string code_name(const std::vector<std::string>& names, int code) {
  const auto k = static_cast<std::size_t>(code);
  return k < names.size() ? names[k] : fmt::format("code {}", code);
}

// Saves an image under a temporary name and renames it, so a half-written PNG never
// carries the final name.
void save_png(const sf::Image& image, const std::filesystem::path& out) {
  std::filesystem::path part = out;
  part += ".part.png";
  if (!image.saveToFile(part.string())) {
    std::error_code ignored;
    std::filesystem::remove(part, ignored);
    throw InputError(out.string() + ": could not write the screenshot");
  }
  std::error_code error;
  std::filesystem::rename(part, out, error);
  if (error)
    throw InputError(out.string() + ": could not write the screenshot: " + error.message());
}

// The controls below the network wrap onto a further line when the next one does not
// fit (a 1280-pixel window, the large presenter font): these give the width an item will
// take, and next_to() puts it beside the last one or under it.
float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}
float labelled_width(float field, const char* label) {
  const float text = ImGui::CalcTextSize(label, nullptr, true).x;
  return field + (text > 0.0f ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0.0f);
}
float checkbox_width(const char* label) {
  return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
         ImGui::CalcTextSize(label, nullptr, true).x;
}
void next_to(float width) {
  ImGui::SameLine();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
}

// Compare mode draws the same person from two runs side by side, so the runs must hold
// the same people over the same weeks: the population and horizon parameters, and the
// recorded persons, alike (as `ripple compare` asks of its configurations). Throws
// InputError naming what differs.
void check_comparable(const query::ReplaySource& a, const query::ReplaySource& b) {
  std::vector<std::string> problems;
  const std::string name_a = a.path().string(), name_b = b.path().string();
  try {
    const scenario::Scenario sa = scenario::parse_scenario(a.meta().resolved_params, name_a);
    const scenario::Scenario sb = scenario::parse_scenario(b.meta().resolved_params, name_b);
    for (const scenario::ParamInfo& info : scenario::parameter_table()) {
      const std::string key(info.key);
      if (!key.starts_with("population.") && !key.starts_with("initial.") && key != "run.weeks" &&
          key != "run.burn_in_weeks")
        continue;
      const double x = info.get(sa.params), y = info.get(sb.params);
      if (x != y)
        problems.push_back(fmt::format("{} is {} in the first and {} in the second", key,
                                       scenario::format_value(info, x),
                                       scenario::format_value(info, y)));
    }
  } catch (const InputError&) {
    // Parameters this Ripple cannot read back (a file of an older version): the weeks
    // and recorded persons below still tell different runs apart.
  }
  const std::vector<std::int64_t> wa = a.steps(), wb = b.steps();
  if (wa != wb && problems.empty() && !wa.empty() && !wb.empty())
    problems.push_back(
        fmt::format("the first records {} weeks ({} to {}), the second {} ({} to {})", wa.size(),
                    wa.front(), wa.back(), wb.size(), wb.front(), wb.back()));
  const std::vector<std::uint32_t> pa = a.persons(), pb = b.persons();
  if (pa != pb)
    problems.push_back(fmt::format("the first records {} persons and the second {}{}", pa.size(),
                                   pb.size(), pa.size() == pb.size() ? ", not the same ones" : ""));
  if (problems.empty()) return;
  std::string message = fmt::format(
      "{} and {} cannot be compared: compare mode shows the same persons in two runs of one "
      "population, and these differ:",
      name_a, name_b);
  for (const std::string& problem : problems) message += "\n  " + problem;
  message +=
      "\nMake both runs from scenarios with the same population.*, initial.*, run.weeks, "
      "run.burn_in_weeks and output settings.";
  throw InputError(message);
}

struct Series {
  std::vector<float> a, b;  // run A (or live) and run B (compare mode)
};

}  // namespace

class Viewer {
 public:
  explicit Viewer(const ViewerOptions& o) : options_(o), presenter_(o.presenter), hops_(o.hops) {}

  // Loads the sources; throws InputError.
  void load() {
    if (!options_.live.empty()) {
      std::vector<std::string> sets = options_.sets;
      // Every person's events are logged live, so any life story can be told.
      sets.insert(sets.begin(), "output.level=\"all\"");
      scenario_ =
          std::make_unique<scenario::Scenario>(scenario::load_scenario(options_.live, sets));
      sim_ = std::make_unique<Simulation>(*scenario_, options_.threads);
      live_ = std::make_unique<query::LiveSource>(*sim_);
      admin_share_ = static_cast<float>(live_->parameter("services.cmhc.admin_share"));
    } else {
      replay_ = std::make_unique<query::ReplaySource>(options_.run);
      if (!options_.compare.empty()) {
        compare_ = std::make_unique<query::ReplaySource>(options_.compare);
        check_comparable(*replay_, *compare_);
        if (compare_->meta().seed != replay_->meta().seed)
          notice_ = fmt::format(
              "The two runs have different seeds ({} and {}): their populations differ.",
              replay_->meta().seed, compare_->meta().seed);
      }
      if (options_.step) {
        const std::vector<std::int64_t> steps = replay_->steps();
        if (!steps.empty() && (*options_.step < steps.front() || *options_.step > steps.back()))
          throw InputError(fmt::format("--step {}: {} holds weeks {} to {}", *options_.step,
                                       options_.run.string(), steps.front(), steps.back()));
        seek(*options_.step);
      }
    }
    const std::vector<std::uint32_t> persons = source().persons();
    if (options_.person) {
      person_ = *options_.person;
      if (!source().person(person_))
        throw InputError(fmt::format(
            "person {} is not {} (try one of the recorded persons, e.g. {})", person_,
            replay_ ? "recorded in " + options_.run.string() : std::string("in the population"),
            persons.empty() ? 0u : persons.front()));
    } else {
      person_ = pick_start(persons);
    }
    rebuild();
  }

  int screenshot() {
    sf::RenderWindow window(sf::VideoMode(options_.width, options_.height), "ripple-view",
                            sf::Style::Titlebar | sf::Style::Close);
    open(window);
    for (int i = 0; i < 60 && layout_.relax(graph_, 10) > 0.02f; ++i) {
    }
    if (compare_)
      for (int i = 0; i < 60 && layout_b_.relax(graph_b_, 10) > 0.02f; ++i) {
      }
    sf::Clock clock;
    // ImGui sizes auto-fitting windows over the first frames; the third is final.
    for (int frame = 0; frame < 3; ++frame) draw(window, clock.restart(), false);
    sf::Texture texture;
    texture.create(window.getSize().x, window.getSize().y);
    texture.update(window);
    save_png(texture.copyToImage(), options_.screenshot);
    imgui_shutdown();
    std::fprintf(stderr, "ripple-view: wrote %s (week %lld, person %u)\n",
                 options_.screenshot.string().c_str(), static_cast<long long>(source().step()),
                 person_);
    return 0;
  }

  int interactive() {
    sf::RenderWindow window(sf::VideoMode(options_.width, options_.height), "ripple-view");
    window.setFramerateLimit(60);
    open(window);
    sf::Clock clock;
    while (window.isOpen()) {
      sf::Event event;
      while (window.pollEvent(event)) {
        imgui_event(event);
        if (event.type == sf::Event::Closed) window.close();
        if (event.type == sf::Event::Resized)
          window.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width),
                                                static_cast<float>(event.size.height))));
        if (event.type == sf::Event::KeyPressed && !ImGui::GetIO().WantCaptureKeyboard)
          key(event.key, window);
        if (event.type == sf::Event::MouseButtonPressed &&
            event.mouseButton.button == sf::Mouse::Left && !ImGui::GetIO().WantCaptureMouse)
          click(sf::Vector2f(static_cast<float>(event.mouseButton.x),
                             static_cast<float>(event.mouseButton.y)));
        if (event.type == sf::Event::MouseWheelScrolled && !ImGui::GetIO().WantCaptureMouse)
          zoom_ *= std::pow(1.1f, event.mouseWheelScroll.delta);
      }
      frame(window, clock.restart());
    }
    imgui_shutdown();
    return 0;
  }

  // One frame of the window loop (ViewerSession::frame).
  void frame(sf::RenderWindow& window, sf::Time elapsed) {
    lap(FrameProfile::kPhases);
    advance(elapsed.asSeconds());
    lap(FrameProfile::kPlayback);
    settled_ = layout_.relax(graph_, 3) <= 0.0f;
    if (compare_ && layout_b_.relax(graph_b_, 3) > 0.0f) settled_ = false;
    if (!settled_) ++version_;
    lap(FrameProfile::kLayout);
    draw(window, elapsed, true);
    if (take_screenshot_) {
      take_screenshot_ = false;
      sf::Texture texture;
      texture.create(window.getSize().x, window.getSize().y);
      texture.update(window);
      const auto name = fmt::format("ripple-view-week{}-person{}.png", source().step(), person_);
      try {
        save_png(texture.copyToImage(), name);
        notice_ = "Saved " + name;
      } catch (const InputError& e) {
        notice_ = e.what();
      }
    }
    window.display();
    lap(FrameProfile::kSwap);
    if (profiling_) ++profile_.frames;
  }

  void profile(bool on) {
    profiling_ = on;
    if (on) profile_ = {};
  }
  const FrameProfile& profiled() const { return profile_; }

  void set_presenter(bool on) { presenter_ = on; }
  void reset_layout() {
    zoom_ = 1.0f;
    layout_.reset();
    layout_b_.reset();
    rebuild();
  }
  bool settled() const { return settled_; }
  void scrub(std::int64_t week) { scrub_to(week); }
  std::vector<std::int64_t> weeks() const {
    return replay_ ? replay_->steps() : std::vector<std::int64_t>{};
  }
  std::size_t nodes() const { return graph_.nodes.size(); }

  void open(sf::RenderWindow& window) {
    if (!font_.loadFromFile(kFontPath))
      throw InputError(std::string(kFontPath) +
                       ": font missing; install Debian's fonts-dejavu-core");
    imgui_init(window);
    ImGuiIO& io = ImGui::GetIO();
    const ImFontConfig config = imgui_font_config();
    small_font_ = io.Fonts->AddFontFromFileTTF(kFontPath, 15.0f, &config);
    large_font_ = io.Fonts->AddFontFromFileTTF(kFontPath, 26.0f, &config);
    if (small_font_ == nullptr || large_font_ == nullptr)
      throw InputError(std::string(kFontPath) + ": could not read the font");
  }

 private:
  ViewerOptions options_;
  std::unique_ptr<query::ReplaySource> replay_, compare_;
  std::unique_ptr<scenario::Scenario> scenario_;
  std::unique_ptr<Simulation> sim_;
  std::unique_ptr<query::LiveSource> live_;
  bool presenter_ = false, playing_ = false, help_ = false, take_screenshot_ = false;
  int hops_ = 2;
  float speed_ = 4.0f;  // weeks per second
  float pending_ = 0.0f;
  float zoom_ = 1.0f;
  float admin_share_ = 0.33f;
  float panel_bg_alpha_ = 1.0f;  // ImGui's window background alpha (help())
  // What the network area (graphs, titles, legend) shows. A software renderer spends
  // 10-15 ms drawing 2,000 nodes and 4,000 ties, so once the layout has settled the
  // picture is copied into canvas_cache_ and later frames showing the same thing copy
  // it back (about 1 ms). version_ changes whenever a graph is rebuilt or a node moves.
  struct Canvas {
    std::uint64_t version = 0;
    float zoom = 0;
    bool presenter = false;
    sf::Vector2u size;
    std::vector<std::string> titles;
    bool operator==(const Canvas&) const = default;
  };
  std::uint64_t version_ = 1;
  bool settled_ = false;  // no node moved in this frame's layout steps
  Canvas canvas_;         // what canvas_cache_ holds; version 0: nothing
  std::unique_ptr<sf::Texture> canvas_cache_;
  std::unique_ptr<sf::RenderTexture> half_;  // half_canvas()
  std::uint32_t person_ = 0;
  std::uint32_t tie_other_ = query::kNobody;  // the tie chosen for a live what-if
  int soften_percent_ = 50, service_choice_ = 0;
  EgoGraph graph_, graph_b_;
  Layout layout_, layout_b_;
  std::vector<StoryLine> story_;
  std::string notice_;
  sf::Font font_;
  EgoPainter painter_;  // the network and the legend, batched (draw.hpp)
  ImFont* small_font_ = nullptr;
  ImFont* large_font_ = nullptr;
  // where each graph was drawn, for clicks
  struct Placed {
    const EgoGraph* graph;
    std::vector<sf::Vector2f> at;
  };
  std::vector<Placed> placed_;
  bool profiling_ = false;  // profile()
  FrameProfile profile_;
  std::chrono::steady_clock::time_point lap_start_;
  std::clock_t lap_cpu_ = 0;

  // While profiling: waits until the renderer has done everything asked of it and adds
  // the time since the last lap to `phase` (kPhases: only starts the clocks).
  void lap(FrameProfile::Phase phase) {
    if (!profiling_) return;
    glFinish();
    const auto now = std::chrono::steady_clock::now();
    const std::clock_t cpu = std::clock();
    if (phase != FrameProfile::kPhases) {
      profile_.wall[phase] += std::chrono::duration<double, std::milli>(now - lap_start_).count();
      profile_.cpu[phase] += static_cast<double>(cpu - lap_cpu_) * 1e3 / CLOCKS_PER_SEC;
    }
    lap_start_ = now;
    lap_cpu_ = cpu;
  }

  query::Source& source() {
    if (live_) return *live_;
    return *replay_;
  }

  std::uint32_t pick_start(const std::vector<std::uint32_t>& persons) {
    // The first person in recovery with a family or friends: a story with people in it.
    for (const std::uint32_t id : persons) {
      const auto p = source().person(id);
      if (p && (p->role & query::kRoleInRecovery) && p->alive && source().ties(id).size() >= 3)
        return id;
    }
    if (persons.empty())
      throw InputError(replay_ ? options_.run.string() +
                                     ": has no recorded persons to show (output.level = \"none\")"
                               : std::string("the population is empty"));
    return persons.front();
  }

  void seek(std::int64_t step) {
    replay_->seek(step);
    if (compare_) compare_->seek(step);
  }

  // The timeline slider moved to `week`.
  void scrub_to(std::int64_t week) {
    if (!replay_) return;
    seek(week);
    rebuild();
  }

  void rebuild() {
    ++version_;
    settled_ = false;
    graph_ = build_ego(source(), person_, hops_);
    layout_.sync(graph_);
    if (compare_) {
      graph_b_ = build_ego(*compare_, person_, hops_);
      layout_b_.sync(graph_b_);
    }
    story_ = life_story(source(), person_);
  }

  // Playback: replay moves through the file's weeks; live mode steps the model.
  void advance(float seconds) {
    if (!playing_) return;
    pending_ += seconds * speed_;
    int steps = 0;
    while (pending_ >= 1.0f && steps < 8) {
      pending_ -= 1.0f;
      ++steps;
      if (!step_forward()) {
        playing_ = false;
        pending_ = 0;
        break;
      }
    }
  }

  bool step_forward() {
    if (live_) {
      if (sim_->week() >= sim_->weeks()) return false;
      sim_->step();
      live_->collect();
    } else {
      const auto steps = replay_->steps();
      if (replay_->step() >= steps.back()) return false;
      seek(replay_->step() + 1);
    }
    rebuild();
    return true;
  }

  void step_back() {
    if (!replay_) return;
    seek(replay_->step() - 1);
    rebuild();
  }

  void select(std::uint32_t id) {
    if (!source().person(id) && source().ties(id).empty()) {
      notice_ =
          fmt::format("Person {} is not recorded in this run; showing {} still.", id, person_);
      return;
    }
    person_ = id;
    rebuild();
  }

  void key(const sf::Event::KeyEvent& k, sf::RenderWindow& window) {
    switch (k.code) {
      case sf::Keyboard::Space:
        playing_ = !playing_;
        break;
      case sf::Keyboard::Right:
      case sf::Keyboard::Period:
        playing_ = false;
        step_forward();
        break;
      case sf::Keyboard::Left:
      case sf::Keyboard::Comma:
        playing_ = false;
        step_back();
        break;
      case sf::Keyboard::Home:
        if (replay_) {
          seek(replay_->steps().front());
          rebuild();
        }
        break;
      case sf::Keyboard::End:
        if (replay_) {
          seek(replay_->steps().back());
          rebuild();
        }
        break;
      case sf::Keyboard::Add:
      case sf::Keyboard::Equal:
        speed_ = std::min(speed_ * 2.0f, 64.0f);
        break;
      case sf::Keyboard::Subtract:
      case sf::Keyboard::Hyphen:
        speed_ = std::max(speed_ / 2.0f, 0.25f);
        break;
      case sf::Keyboard::Num1:
      case sf::Keyboard::Num2:
      case sf::Keyboard::Num3:
        hops_ = 1 + (k.code - sf::Keyboard::Num1);
        rebuild();
        break;
      case sf::Keyboard::P:
        presenter_ = !presenter_;
        break;
      case sf::Keyboard::F1:
      case sf::Keyboard::H:
        help_ = !help_;
        break;
      case sf::Keyboard::F12:
      case sf::Keyboard::S:
        take_screenshot_ = true;
        break;
      case sf::Keyboard::R:
        reset_layout();
        break;
      case sf::Keyboard::Escape:
        if (help_)
          help_ = false;
        else
          window.close();
        break;
      case sf::Keyboard::Q:
        window.close();
        break;
      default:
        break;
    }
  }

  void click(sf::Vector2f at) {
    for (const Placed& p : placed_)
      for (std::size_t i = 0; i < p.at.size(); ++i) {
        const Node& n = p.graph->nodes[i];
        const float r = std::max(node_radius(n, scale()), 6.0f);
        const sf::Vector2f d = at - p.at[i];
        if (d.x * d.x + d.y * d.y <= r * r && n.type == NodeType::Person) {
          select(n.id);
          return;
        }
      }
  }

  float scale() const { return draw_style().scale(); }
  DrawStyle draw_style() const { return {presenter_, zoom_, &font_}; }

  // The half-size texture the network's shapes are drawn into while the layout moves,
  // its view covering `canvas`; made or resized when needed. False if it cannot be had
  // (then the shapes are drawn in full).
  bool half_canvas(sf::FloatRect canvas) {
    const sf::Vector2u size(static_cast<unsigned>(std::ceil(canvas.width / 2)),
                            static_cast<unsigned>(std::ceil(canvas.height / 2)));
    if (size.x == 0 || size.y == 0) return false;
    if (!half_ || half_->getSize() != size) {
      half_ = std::make_unique<sf::RenderTexture>();
      if (!half_->create(size.x, size.y)) {
        half_.reset();
        return false;
      }
      half_->setSmooth(true);  // scaled up: filtered, not blocky
    }
    half_->setView(sf::View(canvas));
    return true;
  }

  void draw(sf::RenderWindow& window, sf::Time elapsed, bool interactive) {
    const Palette& pal = palette(presenter_);
    window.clear(colour(pal.background));
    const float w = static_cast<float>(window.getSize().x);
    const float h = static_cast<float>(window.getSize().y);
    const float panel = presenter_ ? kPanelWidth * 1.3f : kPanelWidth;
    const sf::FloatRect canvas(0, 0, w - panel, h - kBottomHeight * (presenter_ ? 1.3f : 1.0f));
    // The graphs keep clear of the legend at the top left.
    const float legend = presenter_ ? 300.0f : 215.0f;
    const sf::FloatRect graphs(legend, 0, canvas.width - legend, canvas.height);
    const std::string week = fmt::format("week {}", source().step());
    std::vector<std::string> titles;
    if (compare_) {
      titles = {fmt::format("A: {} ({})", options_.run.filename().string(), week),
                fmt::format("B: {} ({})", options_.compare.filename().string(), week)};
    } else {
      titles = {
          fmt::format("{}, {} hops, {}", query::display_name(source(), person_), hops_, week)};
    }
    // The network and legend are drawn again only when something in them changed; a
    // settled picture is kept in a texture and copied (see Canvas).
    const Canvas now{version_, zoom_, presenter_, window.getSize(), titles};
    if (canvas_cache_ && now == canvas_) {
      sf::Sprite copy(*canvas_cache_, sf::IntRect(0, 0, static_cast<int>(canvas.width),
                                                  static_cast<int>(canvas.height)));
      window.draw(copy, sf::RenderStates(sf::BlendNone));
      lap(FrameProfile::kWords);
    } else {
      placed_.clear();
      // While the layout moves, the ties and nodes are drawn at half resolution and
      // scaled up, the words sharp on top: a software renderer's cost is mostly per
      // pixel and per screen tile a primitive touches, and a moving picture is not
      // studied closely. A settled picture (and every screenshot) is drawn in full.
      const bool reduced = interactive && !settled_ && !take_screenshot_;
      std::vector<std::pair<sf::FloatRect, std::string>> areas;
      if (compare_) {
        areas = {{{graphs.left, graphs.top, graphs.width / 2, graphs.height}, titles[0]},
                 {{graphs.left + graphs.width / 2, graphs.top, graphs.width / 2, graphs.height},
                  titles[1]}};
      } else {
        areas = {{graphs, titles[0]}};
      }
      const EgoGraph* shown[] = {&graph_, &graph_b_};
      const Layout* laid[] = {&layout_, &layout_b_};
      std::vector<std::vector<sf::Vector2f>> at(areas.size());
      for (std::size_t k = 0; k < areas.size(); ++k)
        if (laid[k]->positions().size() == shown[k]->nodes.size())
          at[k] = EgoPainter::place(laid[k]->positions(), areas[k].first, draw_style());
      sf::RenderTarget* shapes = &window;
      DrawStyle style = draw_style();
      if (reduced && half_canvas(canvas)) {
        shapes = half_.get();
        style.pixels = 0.5f;
        half_->clear(colour(pal.background));
      }
      for (std::size_t k = 0; k < areas.size(); ++k)
        painter_.draw_shapes(*shapes, *shown[k], at[k], style);
      if (shapes != &window) {
        half_->display();
        lap(FrameProfile::kShapes);
        // Only the part of the texture the network covers is scaled up: the rest is
        // background, as the window already is there. Its edge keeps two texels of
        // background, so that filtering gives the same pixels as scaling up the whole
        // texture (at 2,000 nodes about half of it, a third of the cost saved).
        const sf::Vector2u texels = half_->getSize();
        const float sx = canvas.width / static_cast<float>(texels.x);
        const float sy = canvas.height / static_cast<float>(texels.y);
        float reach = 0, x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
        for (std::size_t k = 0; k < areas.size(); ++k) {
          for (const Node& n : shown[k]->nodes) reach = std::max(reach, node_radius(n, scale()));
          for (const sf::Vector2f& p : at[k]) {
            x0 = std::min(x0, p.x);
            y0 = std::min(y0, p.y);
            x1 = std::max(x1, p.x);
            y1 = std::max(y1, p.y);
          }
        }
        reach += 3.0f * scale() + 4.0f;  // the centre's ring and a wide tie's half
        const auto texel = [](float v, float per, unsigned count, float step) {
          return static_cast<int>(
              std::clamp(std::floor(v / per) + step, 0.0f, static_cast<float>(count)));
        };
        const int left = texel(x0 - reach - canvas.left, sx, texels.x, -2.0f);
        const int top = texel(y0 - reach - canvas.top, sy, texels.y, -2.0f);
        const int right = texel(x1 + reach - canvas.left, sx, texels.x, 3.0f);
        const int bottom = texel(y1 + reach - canvas.top, sy, texels.y, 3.0f);
        if (right > left && bottom > top) {
          sf::Sprite up(half_->getTexture(), sf::IntRect(left, top, right - left, bottom - top));
          up.setPosition(canvas.left + static_cast<float>(left) * sx,
                         canvas.top + static_cast<float>(top) * sy);
          up.setScale(sx, sy);
          window.draw(up, sf::RenderStates(sf::BlendNone));
        }
        lap(FrameProfile::kUpscale);
      } else {
        lap(FrameProfile::kShapes);
      }
      for (std::size_t k = 0; k < areas.size(); ++k) {
        painter_.draw_labels(window, *shown[k], at[k], areas[k].first, areas[k].second,
                             draw_style());
        if (!at[k].empty()) placed_.push_back({shown[k], std::move(at[k])});
      }
      if (compare_) {
        sf::RectangleShape divider(sf::Vector2f(1.0f, canvas.height));
        divider.setPosition(areas[1].first.left, areas[1].first.top);
        divider.setFillColor(colour(pal.unknown_person));
        window.draw(divider);
      }
      painter_.draw_legend(window, draw_style());
      if (settled_) {  // keep it: the next frames will most likely be the same
        const sf::Vector2u size = window.getSize();
        if (!canvas_cache_ || canvas_cache_->getSize() != size) {
          canvas_cache_ = std::make_unique<sf::Texture>();
          if (!canvas_cache_->create(size.x, size.y)) canvas_cache_.reset();
        }
        if (canvas_cache_) {
          canvas_cache_->update(window);
          canvas_ = now;
        }
      } else {
        canvas_ = {};
      }
      lap(FrameProfile::kWords);
    }

    imgui_new_frame(window, elapsed);
    ImGui::PushFont(presenter_ ? large_font_ : small_font_);
    ImGui::StyleColorsDark();
    if (presenter_) {
      ImGui::GetStyle().Colors[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 1);
      ImGui::GetStyle().Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
    }
    // The two fixed panels' backgrounds are filled here, opaque, in the colour ImGui's
    // (nearly opaque) window background gives over the network's background; ImGui
    // then fills no window background itself. On a software renderer ImGui's fills are
    // textured and blended per pixel, and these two cover 40% of the window: about 2
    // ms a frame.
    panel_bg_alpha_ = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w;
    {
      const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
      const auto mix = [&](float c, std::uint8_t under) {
        return static_cast<std::uint8_t>(
            std::lround(255.0f * c * bg.w + static_cast<float>(under) * (1.0f - bg.w)));
      };
      const sf::Color fill(mix(bg.x, pal.background.r), mix(bg.y, pal.background.g),
                           mix(bg.z, pal.background.b));
      // Where inspector() and controls() place their windows.
      sf::RectangleShape rect(sf::Vector2f(static_cast<float>(options_.width) - canvas.width, h));
      rect.setPosition(canvas.width, 0);
      rect.setFillColor(fill);
      window.draw(rect, sf::RenderStates(sf::BlendNone));
      rect.setSize(sf::Vector2f(canvas.width, static_cast<float>(options_.height) - canvas.height));
      rect.setPosition(0, canvas.height);
      window.draw(rect, sf::RenderStates(sf::BlendNone));
      ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w = 0.0f;
    }
    inspector(canvas.width, h);
    controls(canvas.height, canvas.width, w);
    if (help_) help();
    if (!interactive) help_ = false;
    ImGui::PopFont();
    lap(FrameProfile::kPanels);
    imgui_render(window);
    lap(FrameProfile::kImGui);
  }

  void bar(const char* label, float value) {
    ImGui::ProgressBar(std::clamp(value, 0.0f, 1.0f), ImVec2(-1, 0),
                       fmt::format("{} {:.2f}", label, value).c_str());
  }

  void inspector(float x, float h) {
    ImGui::SetNextWindowPos(ImVec2(x, 0));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(options_.width) - x, h));
    ImGui::Begin("Person", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
    const query::Names& names = source().names();
    const auto p = source().person(person_);
    if (!p) {
      ImGui::TextWrapped("Person %u: nothing recorded at this week.", person_);
      ImGui::End();
      return;
    }
    std::string role;
    const std::pair<int, const char*> roles[] = {{query::kRoleInRecovery, "in recovery"},
                                                 {query::kRoleCarer, "carer"},
                                                 {query::kRolePeerWorker, "peer worker"},
                                                 {query::kRoleProfessional, "professional"}};
    for (const auto& [bit, words] : roles)
      if (p->role & bit) role += (role.empty() ? "" : ", ") + std::string(words);
    const std::string name = source().name(p->id);
    if (!name.empty()) {
      ImGui::Text("%s (person %u), %s, %d years%s", name.c_str(), p->id, p->male ? "man" : "woman",
                  p->age, p->alive ? "" : " (died)");
    } else {
      ImGui::Text("Person %u, %s, %d years%s", p->id, p->male ? "man" : "woman", p->age,
                  p->alive ? "" : " (died)");
    }
    ImGui::TextWrapped("Role: %s", role.empty() ? "member of the public" : role.c_str());
    ImGui::Text("Condition: %s", code_name(names.profile, p->profile).c_str());
    ImGui::Text("Episode: %s   Work: %s", code_name(names.episode, p->episode).c_str(),
                code_name(names.work, p->work).c_str());
    ImGui::Text("Medication: %s", code_name(names.medication, p->medication).c_str());
    ImGui::Separator();
    ImGui::TextUnformatted("CHIME");
    const char* chime[] = {"Connectedness", "Hope", "Identity", "Meaning", "Empowerment"};
    for (std::size_t c = 0; c < 5; ++c) bar(chime[c], p->chime[c]);
    bar("Recovery index", p->recovery);
    bar("Symptoms", p->symptoms);
    ImGui::Text("Stress %.2f   Coping %.2f", p->stress, p->coping);
    if (p->cares_for != query::kNobody || p->caring_style != 0) {
      const std::string cared = p->cares_for == query::kNobody
                                    ? std::string("nobody now")
                                    : query::display_name(source(), p->cares_for);
      ImGui::Text("Cares for %s, %s", cared.c_str(),
                  code_name(names.caring_style, p->caring_style).c_str());
      if (p->psychoeducation_weeks > 0)
        ImGui::Text("In family psychoeducation (week %d)", p->psychoeducation_weeks);
      bar("Carer burden", p->burden);
    }
    if (p->carer != query::kNobody)
      ImGui::Text("Carer: %s", query::display_name(source(), p->carer).c_str());
    if (p->role & query::kRoleInRecovery)
      ImGui::Text("Family: %s", p->family_involved ? "involved (consent given)"
                                : p->consent       ? "consent given, not involved yet"
                                                   : "not involved (no consent)");
    if (p->services != 0) {
      std::string services;
      for (std::size_t k = 0; k < names.service.size(); ++k)
        if (p->services & (1u << k)) services += (services.empty() ? "" : ", ") + names.service[k];
      ImGui::TextWrapped("Services: %s (alliance %.2f)", services.c_str(), p->alliance);
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Life story");
    ImGui::BeginChild("story", ImVec2(0, 0), true);
    if (story_.empty()) ImGui::TextDisabled("No events yet.");
    for (const StoryLine& line : story_) ImGui::TextWrapped("%s", line.text.c_str());
    if (playing_) ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
    ImGui::End();
  }

  // Plots one outcome over time: run A (or live) in the text colour, run B in orange,
  // the current week as a vertical line, live interventions as dashes at the top.
  void plot(const char* name, const std::vector<float>& a, const std::vector<float>& b,
            std::size_t current, ImVec2 size, const std::vector<std::size_t>& marks = {}) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted(name);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(name, size);
    ImDrawList* d = ImGui::GetWindowDrawList();
    d->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y),
                     IM_COL32(40, 40, 48, 255));
    float lo = 1e30f, hi = -1e30f;
    for (const auto* s : {&a, &b})
      for (const float v : *s) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    if (hi <= lo) hi = lo + 1.0f;
    const std::size_t n = std::max(a.size(), b.size());
    const auto xy = [&](std::size_t i, float v) {
      const float fx = n > 1 ? static_cast<float>(i) / static_cast<float>(n - 1) : 0.0f;
      return ImVec2(origin.x + fx * size.x, origin.y + size.y - (v - lo) / (hi - lo) * size.y);
    };
    const auto line = [&](const std::vector<float>& s, ImU32 c) {
      for (std::size_t i = 1; i < s.size(); ++i)
        d->AddLine(xy(i - 1, s[i - 1]), xy(i, s[i]), c, 1.5f);
    };
    line(a, im_colour(palette(presenter_).text));
    line(b, IM_COL32(255, 160, 0, 255));
    if (n > 0) {
      const float fx =
          n > 1 ? static_cast<float>(std::min(current, n - 1)) / static_cast<float>(n - 1) : 0.0f;
      d->AddLine(ImVec2(origin.x + fx * size.x, origin.y),
                 ImVec2(origin.x + fx * size.x, origin.y + size.y), IM_COL32(255, 255, 0, 160));
    }
    for (const std::size_t k : marks) {
      const float fx = xy(std::min(k, n > 0 ? n - 1 : 0), lo).x;
      d->AddLine(ImVec2(fx, origin.y), ImVec2(fx, origin.y + 8.0f), IM_COL32(90, 200, 255, 255),
                 3.0f);
    }
    if (ImGui::IsItemHovered() && !a.empty())
      ImGui::SetTooltip("%s: %.3f (from %.3f to %.3f)", name, a[std::min(current, a.size() - 1)],
                        lo, hi);
    ImGui::EndGroup();
  }

  void controls(float y, float width, float full_width) {
    (void)full_width;
    ImGui::SetNextWindowPos(ImVec2(0, y));
    ImGui::SetNextWindowSize(ImVec2(width, static_cast<float>(options_.height) - y));
    ImGui::Begin("Controls", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoTitleBar);
    if (ImGui::Button(playing_ ? "Pause" : "Play")) playing_ = !playing_;
    next_to(button_width("Step"));
    if (ImGui::Button("Step")) {
      playing_ = false;
      step_forward();
    }
    next_to(labelled_width(120, "weeks/s"));
    ImGui::SetNextItemWidth(120);
    ImGui::SliderFloat("weeks/s", &speed_, 0.25f, 64.0f, "%.2g", ImGuiSliderFlags_Logarithmic);
    next_to(labelled_width(80, "hops"));
    int hops = hops_;
    ImGui::SetNextItemWidth(80);
    if (ImGui::SliderInt("hops", &hops, 1, 3)) {
      hops_ = hops;
      rebuild();
    }
    next_to(labelled_width(110, "person"));
    int person = static_cast<int>(person_);
    ImGui::SetNextItemWidth(110);
    if (ImGui::InputInt("person", &person, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue) &&
        person >= 0)
      select(static_cast<std::uint32_t>(person));
    characters_picker();
    next_to(checkbox_width("presenter"));
    ImGui::Checkbox("presenter", &presenter_);
    next_to(button_width("Help (F1)"));
    if (ImGui::Button("Help (F1)")) help_ = !help_;

    std::size_t current = 0;
    std::vector<std::size_t> marks;  // live interventions, as indices into the history
    Series series[std::size(kPlotted)];
    if (replay_) {
      const std::vector<std::int64_t> steps = replay_->steps();
      int week = static_cast<int>(replay_->step());
      ImGui::SetNextItemWidth(-1);
      if (ImGui::SliderInt("##timeline", &week, static_cast<int>(steps.front()),
                           static_cast<int>(steps.back()), "week %d"))
        scrub_to(week);
      current = static_cast<std::size_t>(
          std::lower_bound(steps.begin(), steps.end(), replay_->step()) - steps.begin());
      for (std::size_t v = 0; v < std::size(kPlotted); ++v) {
        const auto copy = [&](const query::ReplaySource& r, std::vector<float>& out) {
          const auto& names = r.summary_names();
          if (std::find(names.begin(), names.end(), kPlotted[v]) == names.end()) return;
          for (const double x : r.summary(kPlotted[v])) out.push_back(static_cast<float>(x));
        };
        copy(*replay_, series[v].a);
        if (compare_) copy(*compare_, series[v].b);
      }
    } else {
      ImGui::Text("Live: week %d of %d, %zu persons", sim_->week(), sim_->weeks(), sim_->persons());
      const auto& vars = summary_variables();
      for (std::size_t v = 0; v < std::size(kPlotted); ++v)
        for (std::size_t k = 0; k < vars.size(); ++k)
          if (vars[k].name == kPlotted[v])
            for (const double x : live_->history()[k]) series[v].a.push_back(static_cast<float>(x));
      current = live_->history_steps().empty() ? 0 : live_->history_steps().size() - 1;
      // Each intervention at the record of its week (the week it took effect from).
      const auto& at = live_->history_steps();
      for (const std::int64_t week : live_->intervention_steps())
        marks.push_back(
            static_cast<std::size_t>(std::lower_bound(at.begin(), at.end(), week) - at.begin()));
    }
    const float plot_w = live_ ? (width - 40.0f) / 5.0f - 8.0f : (width - 20.0f) / 5.0f - 8.0f;
    const ImVec2 size(plot_w, presenter_ ? 70.0f : 80.0f);
    if (live_) {
      ImGui::BeginGroup();
    }
    for (std::size_t v = 0; v < std::size(kPlotted); ++v) {
      if (v > 0) ImGui::SameLine();
      plot(kPlotLabels[v], series[v].a, series[v].b, current, size, marks);
    }
    if (live_) {
      ImGui::EndGroup();
      what_if();
    }
    if (compare_)
      ImGui::TextColored(ImVec4(1, 0.63f, 0, 1), "orange: %s",
                         options_.compare.filename().string().c_str());
    if (!notice_.empty()) ImGui::TextWrapped("%s", notice_.c_str());
    ImGui::End();
  }

  // A story's named characters, to jump to one (shown only when there are any).
  void characters_picker() {
    const std::vector<std::uint32_t> cast = source().characters();
    if (cast.empty()) return;
    next_to(labelled_width(150, "Characters"));
    ImGui::SetNextItemWidth(150);
    const std::string current = source().name(person_);
    if (ImGui::BeginCombo("Characters", current.empty() ? "(choose)" : current.c_str())) {
      for (const std::uint32_t id : cast) {
        const std::string label = fmt::format("{} (person {})", source().name(id), id);
        if (ImGui::Selectable(label.c_str(), id == person_)) select(id);
      }
      ImGui::EndCombo();
    }
  }

  void apply(scenario::Intervention x) {
    x.week = sim_->week();
    sim_->intervene(x);
    live_->note_intervention(x.describe());
    notice_ = "Applied: " + x.describe() + " (logged as an intervention)";
  }

  void set(const char* key, double value) {
    scenario::Intervention x;
    x.kind = scenario::Intervention::Kind::Set;
    x.key = key;
    x.value = value;
    apply(x);
  }

  void what_if() {
    ImGui::TextUnformatted("What if, from this week on:");
    if (ImGui::Button("Open an Open Dialogue team")) set("services.open_dialogue.enabled", 1.0);
    next_to(button_width("Add a coordinator"));
    if (ImGui::Button("Add a coordinator")) {
      if (live_->parameter("services.coordinator.enabled") < 0.5)
        set("services.coordinator.enabled", 1.0);
      else
        set("services.coordinator.staff_per_10k",
            live_->parameter("services.coordinator.staff_per_10k") + 1.0);
    }
    next_to(button_width("Offer family psychoeducation"));
    if (ImGui::Button("Offer family psychoeducation")) set("services.psychoeducation.enabled", 1.0);
    next_to(labelled_width(140, "CMHC admin share"));
    ImGui::SetNextItemWidth(140);
    ImGui::SliderFloat("CMHC admin share", &admin_share_, 0.0f, 0.95f, "%.2f");
    if (ImGui::IsItemDeactivatedAfterEdit()) set("services.cmhc.admin_share", admin_share_);
    person_actions();
    for (const std::string& words : live_->interventions()) ImGui::BulletText("%s", words.c_str());
  }

  // Does a what-if for the selected person; the network and story show the change at once.
  void do_action(PersonAction a) {
    a.person = person_;
    const ActionOutcome outcome = act_now(*sim_, *live_, a);
    notice_ = outcome.done ? "Applied: " + outcome.message + " (logged as an intervention)"
                           : outcome.message;
    if (outcome.done) rebuild();
  }

  // What-ifs for the selected person: one of their ties, their carer, a service place.
  void person_actions() {
    const std::string who = query::display_name(*live_, person_);
    ImGui::Text("For %s:", who.c_str());
    const std::vector<TieOption> ties = tie_options(*live_, person_);
    next_to(labelled_width(260, "##tie"));
    if (ties.empty()) {
      ImGui::TextDisabled("no ties");
    } else {
      // Keep the chosen tie by person when the list changes under it.
      std::size_t chosen = 0;
      for (std::size_t k = 0; k < ties.size(); ++k)
        if (ties[k].other == tie_other_) chosen = k;
      tie_other_ = ties[chosen].other;
      ImGui::SetNextItemWidth(260);
      if (ImGui::BeginCombo("##tie", ties[chosen].label.c_str())) {
        for (const TieOption& t : ties)
          if (ImGui::Selectable(t.label.c_str(), t.other == tie_other_)) tie_other_ = t.other;
        ImGui::EndCombo();
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s's ties, stressors first", who.c_str());
      PersonAction a;
      a.other = tie_other_;
      next_to(button_width("Soften"));
      if (ImGui::Button("Soften")) {
        a.kind = PersonAction::Kind::SoftenTie;
        a.amount = soften_percent_ / 100.0;
        do_action(a);
      }
      next_to(labelled_width(90, "##by"));
      ImGui::SetNextItemWidth(90);
      ImGui::SliderInt("##by", &soften_percent_, 10, 100, "by %d%%");
      next_to(button_width("Remove tie"));
      if (ImGui::Button("Remove tie")) {
        a.kind = PersonAction::Kind::RemoveTie;
        do_action(a);
      }
      next_to(button_width("Make supportive"));
      if (ImGui::Button("Make supportive")) {
        a.kind = PersonAction::Kind::SupportiveTie;
        do_action(a);
      }
      next_to(button_width("Devalue"));
      if (ImGui::Button("Devalue")) {
        a.kind = PersonAction::Kind::DevalueTie;
        do_action(a);
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "%s comes to feel devalued by them: %s's side turns stressor, with a shock",
            who.c_str(), who.c_str());
    }
    next_to(button_width("Psychoeducation for the family"));
    if (ImGui::Button("Psychoeducation for the family")) {
      PersonAction a;
      a.kind = PersonAction::Kind::Psychoeducation;
      do_action(a);
    }
    next_to(labelled_width(130, "##service"));
    const std::vector<std::string> services = enrol_services();
    service_choice_ = std::clamp(service_choice_, 0, static_cast<int>(services.size()) - 1);
    ImGui::SetNextItemWidth(130);
    if (ImGui::BeginCombo("##service",
                          services[static_cast<std::size_t>(service_choice_)].c_str())) {
      for (std::size_t k = 0; k < services.size(); ++k)
        if (ImGui::Selectable(services[k].c_str(), static_cast<int>(k) == service_choice_))
          service_choice_ = static_cast<int>(k);
      ImGui::EndCombo();
    }
    next_to(button_width("Enrol"));
    if (ImGui::Button("Enrol")) {
      PersonAction a;
      a.kind = PersonAction::Kind::Enrol;
      a.service = services[static_cast<std::size_t>(service_choice_)];
      do_action(a);
    }
    // Consent to involve the family: only a person in recovery has one to give.
    const auto p = live_->person(person_);
    if (p && (p->role & query::kRoleInRecovery)) {
      next_to(button_width(p->consent ? "Withdraw consent" : "Give consent"));
      PersonAction a;
      a.kind = p->consent ? PersonAction::Kind::WithdrawConsent : PersonAction::Kind::GiveConsent;
      if (ImGui::Button(p->consent ? "Withdraw consent" : "Give consent")) do_action(a);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(p->consent ? "%s no longer wants the family involved"
                                     : "%s agrees to involve the family",
                          who.c_str());
    }
  }

  void help() {
    ImGui::SetNextWindowPos(
        ImVec2(static_cast<float>(options_.width) / 2, static_cast<float>(options_.height) / 2),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowBgAlpha(panel_bg_alpha_);  // floats over the network: not prefilled
    ImGui::Begin("Keyboard shortcuts", &help_, ImGuiWindowFlags_AlwaysAutoResize);
    const char* keys[][2] = {{"Space", "play / pause"},
                             {"Right or .", "one week forward"},
                             {"Left or ,", "one week back (replay)"},
                             {"Home / End", "first / last week (replay)"},
                             {"+ / -", "faster / slower"},
                             {"1 2 3", "ego network of 1, 2 or 3 hops"},
                             {"click a person", "centre the network on them"},
                             {"mouse wheel", "zoom"},
                             {"R", "reset zoom and layout"},
                             {"P", "presenter mode (large, high contrast)"},
                             {"S or F12", "save a PNG screenshot"},
                             {"F1 or H", "this help"},
                             {"Esc / Q", "close help / quit"}};
    for (const auto& k : keys) {
      ImGui::TextUnformatted(k[0]);
      ImGui::SameLine(160);
      ImGui::TextUnformatted(k[1]);
    }
    ImGui::End();
  }
};

namespace {

// A window that only says what went wrong (a broken run file, say).
int error_window(const ViewerOptions& o, const std::string& message) {
  sf::RenderWindow window(sf::VideoMode(o.width, o.height), "ripple-view: cannot open");
  window.setFramerateLimit(30);
  imgui_init(window);
  const ImFontConfig config = imgui_font_config();
  ImGui::GetIO().Fonts->AddFontFromFileTTF(kFontPath, o.presenter ? 26.0f : 16.0f, &config);
  sf::Clock clock;
  while (window.isOpen()) {
    sf::Event event;
    while (window.pollEvent(event)) {
      imgui_event(event);
      // Esc and Q quit, as everywhere in the viewer (docs/VIEWER.md), Enter too.
      if (event.type == sf::Event::Closed ||
          (event.type == sf::Event::KeyPressed &&
           (event.key.code == sf::Keyboard::Escape || event.key.code == sf::Keyboard::Q ||
            event.key.code == sf::Keyboard::Enter)))
        window.close();
    }
    window.clear(sf::Color(24, 26, 32));
    imgui_new_frame(window, clock.restart());
    ImGui::OpenPopup("Cannot open");
    ImGui::SetNextWindowPos(
        ImVec2(static_cast<float>(o.width) / 2, static_cast<float>(o.height) / 2), ImGuiCond_Always,
        ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(o.width) * 0.7f, 0));
    if (ImGui::BeginPopupModal("Cannot open", nullptr, ImGuiWindowFlags_NoMove)) {
      ImGui::TextWrapped("%s", message.c_str());
      if (ImGui::Button("Quit")) window.close();
      ImGui::EndPopup();
    }
    imgui_render(window);
    window.display();
  }
  imgui_shutdown();
  return 2;
}

}  // namespace

ViewerSession::ViewerSession(const ViewerOptions& options)
    : viewer_(std::make_unique<Viewer>(options)) {
  viewer_->load();
}
ViewerSession::~ViewerSession() = default;
void ViewerSession::open(sf::RenderWindow& window) { viewer_->open(window); }
void ViewerSession::close() { imgui_shutdown(); }
void ViewerSession::frame(sf::RenderWindow& window, sf::Time elapsed) {
  viewer_->frame(window, elapsed);
}
void ViewerSession::set_presenter(bool on) { viewer_->set_presenter(on); }
void ViewerSession::scrub(std::int64_t week) { viewer_->scrub(week); }
void ViewerSession::reset_layout() { viewer_->reset_layout(); }
bool ViewerSession::settled() const { return viewer_->settled(); }
std::vector<std::int64_t> ViewerSession::weeks() const { return viewer_->weeks(); }
std::size_t ViewerSession::nodes() const { return viewer_->nodes(); }
void ViewerSession::profile(bool on) { viewer_->profile(on); }
FrameProfile ViewerSession::profiled() const { return viewer_->profiled(); }

int run_viewer(const ViewerOptions& options) {
  Viewer viewer(options);
  if (!options.screenshot.empty()) {
    viewer.load();  // errors go to stderr (main) with exit code 2
    return viewer.screenshot();
  }
  try {
    viewer.load();
  } catch (const InputError& e) {
    std::fprintf(stderr, "ripple-view: %s\n", e.what());
    return error_window(options, e.what());
  }
  return viewer.interactive();
}

}  // namespace ripple::viz
