#include "draw.hpp"

#include <SFML/OpenGL.hpp>
#include <algorithm>
#include <cmath>

#include "style.hpp"

namespace ripple::viz {
namespace {

sf::Color colour(Rgba c) { return {c.r, c.g, c.b, c.a}; }

constexpr unsigned kDiscTexels = 64;  // side of the disc texture
// A texel well inside the disc, fully opaque: rectangles are drawn with it so that they
// share the discs' vertex array and texture.
// Up to this many nodes every hub (arena, service) is labelled; beyond it only when
// zoomed in, since hundreds of overlapping names are unreadable and cost a software
// renderer several milliseconds a frame.
constexpr std::size_t kLabelAllHubs = 400;
const sf::Vector2f kSolid(kDiscTexels / 2.0f, kDiscTexels / 2.0f);

// Two triangles of a quad with corners a b c d (in order round the quad).
void append_quad(sf::VertexArray& v, const sf::Vertex& a, const sf::Vertex& b, const sf::Vertex& c,
                 const sf::Vertex& d) {
  v.append(a);
  v.append(b);
  v.append(c);
  v.append(a);
  v.append(c);
  v.append(d);
}

}  // namespace

const sf::Texture& EgoPainter::disc_texture() {
  if (!disc_) {
    disc_ = std::make_unique<sf::Texture>();
    // A white disc filling the texture; vertex colours tint it, so a disc is exactly
    // the palette colour. Sampled nearest, without mipmaps: filtered sampling costs a
    // software renderer more per pixel than anything else here.
    sf::Image image;
    image.create(kDiscTexels, kDiscTexels, sf::Color::Transparent);
    const float r = kDiscTexels / 2.0f;
    for (unsigned y = 0; y < kDiscTexels; ++y)
      for (unsigned x = 0; x < kDiscTexels; ++x) {
        const float dx = static_cast<float>(x) + 0.5f - r, dy = static_cast<float>(y) + 0.5f - r;
        if (dx * dx + dy * dy <= r * r) image.setPixel(x, y, sf::Color::White);
      }
    if (disc_->loadFromImage(image)) disc_->setSmooth(false);
  }
  return *disc_;
}

void EgoPainter::add_disc(sf::Vector2f c, float r, sf::Color col) {
  const float t = static_cast<float>(kDiscTexels);
  append_quad(discs_, {{c.x - r, c.y - r}, col, {0, 0}}, {{c.x + r, c.y - r}, col, {t, 0}},
              {{c.x + r, c.y + r}, col, {t, t}}, {{c.x - r, c.y + r}, col, {0, t}});
}

void EgoPainter::add_rect(sf::Vector2f p, sf::Vector2f size, sf::Color col) {
  append_quad(discs_, {p, col, kSolid}, {{p.x + size.x, p.y}, col, kSolid}, {p + size, col, kSolid},
              {{p.x, p.y + size.y}, col, kSolid});
}

void EgoPainter::add_text(const sf::Font& font, const std::string& words, sf::Vector2f at,
                          unsigned size, bool bold, sf::Color col) {
  // The glyph placement of sf::Text (baseline one character size below the top, kerning,
  // one texel of padding round each glyph), without a draw call per label.
  sf::VertexArray& v = glyphs_.try_emplace(size, sf::Triangles).first->second;
  const sf::String text = sf::String::fromUtf8(words.begin(), words.end());
  float x = 0;
  const float baseline = static_cast<float>(size);
  sf::Uint32 previous = 0;
  for (const sf::Uint32 code : text) {
    x += font.getKerning(previous, code, size);
    previous = code;
    const sf::Glyph& glyph = font.getGlyph(code, size, bold);
    if (code != ' ' && code != '\t') {
      constexpr float pad = 1.0f;
      const float left = at.x + x + glyph.bounds.left - pad;
      const float top = at.y + baseline + glyph.bounds.top - pad;
      const float right = left + glyph.bounds.width + 2 * pad;
      const float bottom = top + glyph.bounds.height + 2 * pad;
      const float u1 = static_cast<float>(glyph.textureRect.left) - pad;
      const float v1 = static_cast<float>(glyph.textureRect.top) - pad;
      const float u2 = static_cast<float>(glyph.textureRect.left + glyph.textureRect.width) + pad;
      const float v2 = static_cast<float>(glyph.textureRect.top + glyph.textureRect.height) + pad;
      append_quad(v, {{left, top}, col, {u1, v1}}, {{right, top}, col, {u2, v1}},
                  {{right, bottom}, col, {u2, v2}}, {{left, bottom}, col, {u1, v2}});
    }
    x += glyph.advance;
  }
}

void EgoPainter::draw_text(sf::RenderTarget& target, const sf::Font& font) {
  // Only now: asking for new glyphs above may have enlarged a size's texture.
  for (auto& [size, v] : glyphs_) {
    if (v.getVertexCount() > 0) target.draw(v, sf::RenderStates(&font.getTexture(size)));
    v.clear();
  }
}

std::vector<sf::Vector2f> EgoPainter::place(const std::vector<Point>& pos, sf::FloatRect area,
                                            const DrawStyle& style) {
  float extent = 1.0f;
  for (const Point& p : pos) extent = std::max({extent, std::abs(p.x), std::abs(p.y)});
  const float fit = 0.45f * std::min(area.width, area.height) / extent * style.zoom;
  const sf::Vector2f mid(area.left + area.width / 2, area.top + area.height / 2);
  std::vector<sf::Vector2f> at(pos.size());
  for (std::size_t i = 0; i < pos.size(); ++i)
    at[i] = mid + sf::Vector2f(pos[i].x * fit, pos[i].y * fit);
  return at;
}

std::vector<sf::Vector2f> EgoPainter::draw(sf::RenderTarget& target, const EgoGraph& g,
                                           const std::vector<Point>& pos, sf::FloatRect area,
                                           const std::string& title, const DrawStyle& style) {
  if (pos.size() != g.nodes.size()) return {};
  std::vector<sf::Vector2f> at = place(pos, area, style);
  draw_shapes(target, g, at, style);
  draw_labels(target, g, at, area, title, style);
  return at;
}

void EgoPainter::draw_shapes(sf::RenderTarget& target, const EgoGraph& g,
                             const std::vector<sf::Vector2f>& at, const DrawStyle& style) {
  if (at.size() != g.nodes.size()) return;
  const bool presenter = style.presenter;
  const float scale = style.scale();
  // Ties as wide lines, one line primitive each (a quad would be two triangles, and a
  // software renderer pays per triangle); lines of one pixel vanish on projectors.
  // They are opaque, so drawn without blending.
  ties_.clear();
  for (const Edge& e : g.edges) {
    const sf::Color c = colour(edge_colour(e.kind, presenter));
    ties_.append({at[e.a], c});
    ties_.append({at[e.b], c});
  }
  if (target.setActive(true))  // SFML has no setter for the line width
    glLineWidth((presenter ? 4.0f : 2.4f) * style.pixels);
  target.draw(ties_, sf::RenderStates(sf::BlendNone));

  // Nodes: a ring under the centre, the disc, and a hole in the background colour for
  // hubs (arenas and services are hollow), each one textured quad, in node order.
  discs_.clear();
  const Palette& pal = palette(presenter);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const float r = node_radius(n, scale);
    if (i == 0) add_disc(at[i], r + 3.0f * scale, colour(pal.centre_ring));
    add_disc(at[i], r, colour(node_colour(n, presenter)));
    if (n.type != NodeType::Person) add_disc(at[i], r * 0.45f, colour(pal.background));
  }
  // The disc texture's texels are either fully opaque or fully clear and are sampled
  // nearest, so cutting the clear ones away by the alpha test (and writing the rest
  // without blending) gives exactly the pixels blending would, without reading the
  // target back: on a software renderer about a fifth less work for the nodes.
  sf::RenderStates states(&disc_texture());
  states.blendMode = sf::BlendNone;
  const bool cut = target.setActive(true);
  if (cut) {
    glEnable(GL_ALPHA_TEST);  // fixed-function state: SFML keeps no record of it
    glAlphaFunc(GL_GREATER, 0.5f);
  } else {
    states.blendMode = sf::BlendAlpha;
  }
  target.draw(discs_, states);
  if (cut) glDisable(GL_ALPHA_TEST);
}

void EgoPainter::draw_labels(sf::RenderTarget& target, const EgoGraph& g,
                             const std::vector<sf::Vector2f>& at, sf::FloatRect area,
                             const std::string& title, const DrawStyle& style) {
  if (style.font == nullptr || at.size() != g.nodes.size()) return;
  const bool presenter = style.presenter;
  const float scale = style.scale();
  // Labels for the centre and the named characters; for the hubs too when they can be
  // read (a smaller network, or zoomed in). Then the title.
  const bool hub_labels = g.nodes.size() <= kLabelAllHubs || style.zoom >= 2.0f;
  const unsigned size = presenter ? 20u : 12u;
  const sf::Color text = colour(palette(presenter).text);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (i != 0 && !n.named && (n.type == NodeType::Person || !hub_labels)) continue;
    add_text(*style.font, n.label, at[i] + sf::Vector2f(node_radius(n, scale) + 3.0f, -6.0f),
             n.named ? size + 2 : size, n.named, text);
  }
  add_text(*style.font, title,
           {area.left + 10.0f, area.top + area.height - (presenter ? 34.0f : 24.0f)},
           presenter ? 24u : 15u, false, text);
  draw_text(target, *style.font);
}

void EgoPainter::draw_legend(sf::RenderTarget& target, const DrawStyle& style) {
  const bool presenter = style.presenter;
  const Palette& pal = palette(presenter);
  const float line = presenter ? 30.0f : 20.0f;
  const unsigned size = presenter ? 20u : 13u;
  const sf::Color text = colour(pal.text);
  sf::Vector2f at(12.0f, 12.0f);
  discs_.clear();
  // The box: a slightly see-through background with a one-pixel outline.
  const sf::Vector2f box(presenter ? 290.0f : 200.0f, line * 13.4f);
  const sf::Vector2f corner = at - sf::Vector2f(6, 6);
  const sf::Color outline = colour(pal.unknown_person);
  add_rect(corner, box, sf::Color(pal.background.r, pal.background.g, pal.background.b, 230));
  add_rect(corner - sf::Vector2f(1, 1), {box.x + 2, 1}, outline);
  add_rect({corner.x - 1, corner.y + box.y}, {box.x + 2, 1}, outline);
  add_rect({corner.x - 1, corner.y}, {1, box.y}, outline);
  add_rect({corner.x + box.x, corner.y}, {1, box.y}, outline);
  const auto label = [&](const char* words, float x) {
    if (style.font != nullptr)
      add_text(*style.font, words, at + sf::Vector2f(x, 0), size, false, text);
  };
  label("Ties", 0);
  at.y += line;
  for (int k = 0; k < static_cast<int>(EdgeKind::Count); ++k) {
    add_rect(at + sf::Vector2f(0, line / 2 - 2), {28.0f, presenter ? 6.0f : 4.0f},
             colour(pal.edge[k]));
    label(kEdgeKindNames[k], 36.0f);
    at.y += line;
  }
  const float dot = presenter ? 8.0f : 6.0f;
  // Each swatch as the nodes are drawn: hubs hollow (draw_shapes()).
  const auto swatch = [&](Rgba c, const char* words, bool hollow = false) {
    add_disc(at + sf::Vector2f(8 + dot, line / 2), dot, colour(c));
    if (hollow) add_disc(at + sf::Vector2f(8 + dot, line / 2), dot * 0.45f, colour(pal.background));
    label(words, 36.0f);
    at.y += line;
  };
  label("Persons (size: recovery)", 0);
  at.y += line;
  const char* episodes[] = {"well", "struggling", "acute", "admitted"};
  for (int k = 0; k < 4; ++k) swatch(pal.episode[k], episodes[k]);
  // A replay knows only the persons its file recorded (output.level); the others
  // around them are grey.
  swatch(pal.unknown_person, "not recorded");
  swatch(pal.arena, "arena", true);
  swatch(pal.service, "service", true);
  target.draw(discs_, sf::RenderStates(&disc_texture()));
  if (style.font != nullptr) draw_text(target, *style.font);
}

}  // namespace ripple::viz
