// A small bridge from SFML 2.5 to Dear ImGui 1.86: window events become ImGui input,
// and ImGui's draw lists are rendered by ImGui's OpenGL2 backend into the SFML window.
#pragma once

#include <imgui.h>

#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/System/Time.hpp>
#include <SFML/Window/Event.hpp>

namespace ripple::viz {

// Creates the ImGui context and the OpenGL2 renderer; fonts are added by the caller
// before the first frame.
void imgui_init(sf::RenderWindow& window);
void imgui_shutdown();
void imgui_event(const sf::Event& event);
void imgui_new_frame(const sf::RenderWindow& window, sf::Time elapsed);
// Font settings for io.Fonts->AddFontFromFileTTF: glyphs on whole pixels, for the
// font texture's nearest sampling.
ImFontConfig imgui_font_config();
// Renders ImGui's frame on top of what SFML drew, keeping SFML's OpenGL state intact.
void imgui_render(sf::RenderWindow& window);

}  // namespace ripple::viz
