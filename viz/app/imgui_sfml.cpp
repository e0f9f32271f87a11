// The SFML side of ImGui, written here because Debian packages no imgui-sfml.
#include "imgui_sfml.hpp"

#include <imgui.h>
#include <imgui_impl_opengl2.h>

#include <SFML/OpenGL.hpp>
#include <SFML/Window/Keyboard.hpp>
#include <SFML/Window/Mouse.hpp>
#include <cstdint>

namespace ripple::viz {
namespace {

ImTextureID g_nearest = nullptr;  // the font texture already set to nearest sampling

}  // namespace

void imgui_init(sf::RenderWindow& window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini left in the user's directory
  io.BackendPlatformName = "ripple_sfml";
  // ImGui 1.86 reads keys through a key map into io.KeysDown[], indexed by our codes.
  io.KeyMap[ImGuiKey_Tab] = sf::Keyboard::Tab;
  io.KeyMap[ImGuiKey_LeftArrow] = sf::Keyboard::Left;
  io.KeyMap[ImGuiKey_RightArrow] = sf::Keyboard::Right;
  io.KeyMap[ImGuiKey_UpArrow] = sf::Keyboard::Up;
  io.KeyMap[ImGuiKey_DownArrow] = sf::Keyboard::Down;
  io.KeyMap[ImGuiKey_PageUp] = sf::Keyboard::PageUp;
  io.KeyMap[ImGuiKey_PageDown] = sf::Keyboard::PageDown;
  io.KeyMap[ImGuiKey_Home] = sf::Keyboard::Home;
  io.KeyMap[ImGuiKey_End] = sf::Keyboard::End;
  io.KeyMap[ImGuiKey_Insert] = sf::Keyboard::Insert;
  io.KeyMap[ImGuiKey_Delete] = sf::Keyboard::Delete;
  io.KeyMap[ImGuiKey_Backspace] = sf::Keyboard::Backspace;
  io.KeyMap[ImGuiKey_Space] = sf::Keyboard::Space;
  io.KeyMap[ImGuiKey_Enter] = sf::Keyboard::Enter;
  io.KeyMap[ImGuiKey_Escape] = sf::Keyboard::Escape;
  io.KeyMap[ImGuiKey_A] = sf::Keyboard::A;
  io.KeyMap[ImGuiKey_C] = sf::Keyboard::C;
  io.KeyMap[ImGuiKey_V] = sf::Keyboard::V;
  io.KeyMap[ImGuiKey_X] = sf::Keyboard::X;
  io.KeyMap[ImGuiKey_Y] = sf::Keyboard::Y;
  io.KeyMap[ImGuiKey_Z] = sf::Keyboard::Z;
  // Anti-aliased lines from their own fringe vertices, not from a band of the font
  // texture, which is sampled nearest (imgui_new_frame).
  ImGui::GetStyle().AntiAliasedLinesUseTex = false;
  ImGui_ImplOpenGL2_Init();
  const sf::Vector2u size = window.getSize();
  io.DisplaySize = ImVec2(static_cast<float>(size.x), static_cast<float>(size.y));
}

void imgui_shutdown() {
  ImGui_ImplOpenGL2_Shutdown();
  g_nearest = nullptr;
  ImGui::DestroyContext();
}

void imgui_event(const sf::Event& event) {
  ImGuiIO& io = ImGui::GetIO();
  switch (event.type) {
    case sf::Event::MouseMoved:
      io.MousePos =
          ImVec2(static_cast<float>(event.mouseMove.x), static_cast<float>(event.mouseMove.y));
      break;
    case sf::Event::MouseButtonPressed:
    case sf::Event::MouseButtonReleased: {
      const int button = event.mouseButton.button;
      if (button >= 0 && button < 3)
        io.MouseDown[button] = event.type == sf::Event::MouseButtonPressed;
      break;
    }
    case sf::Event::MouseWheelScrolled:
      if (event.mouseWheelScroll.wheel == sf::Mouse::VerticalWheel)
        io.MouseWheel += event.mouseWheelScroll.delta;
      else
        io.MouseWheelH += event.mouseWheelScroll.delta;
      break;
    case sf::Event::KeyPressed:
    case sf::Event::KeyReleased: {
      const int key = event.key.code;
      if (key >= 0 && key < static_cast<int>(IM_ARRAYSIZE(io.KeysDown)))
        io.KeysDown[key] = event.type == sf::Event::KeyPressed;
      io.KeyCtrl = event.key.control;
      io.KeyShift = event.key.shift;
      io.KeyAlt = event.key.alt;
      io.KeySuper = event.key.system;
      break;
    }
    case sf::Event::TextEntered:
      if (event.text.unicode >= 32 && event.text.unicode != 127)
        io.AddInputCharacter(event.text.unicode);
      break;
    case sf::Event::LostFocus:
      for (bool& down : io.KeysDown) down = false;
      break;
    default:
      break;
  }
}

void imgui_new_frame(const sf::RenderWindow& window, sf::Time elapsed) {
  ImGuiIO& io = ImGui::GetIO();
  const sf::Vector2u size = window.getSize();
  io.DisplaySize = ImVec2(static_cast<float>(size.x), static_cast<float>(size.y));
  io.DeltaTime = elapsed.asSeconds() > 0.0f ? elapsed.asSeconds() : 1.0f / 60.0f;
  ImGui_ImplOpenGL2_NewFrame();  // makes the font texture on first use
  // The font texture sampled nearest rather than filtered, as the backend sets it: ImGui
  // draws every fill and glyph with it, and a software renderer spends a fifth to a
  // third of the panels' drawing on filtering. With the glyphs rasterised at one sample
  // a pixel and snapped to whole pixels (imgui_font_config), each pixel falls on a
  // texel's centre, where filtering gives that texel anyway: the same text.
  if (io.Fonts->TexID != nullptr && io.Fonts->TexID != g_nearest) {
    const ImTextureID nearest = g_nearest = io.Fonts->TexID;
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(nearest)));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
  }
  ImGui::NewFrame();
}

ImFontConfig imgui_font_config() {
  ImFontConfig config;
  config.OversampleH = 1;  // one sample a pixel, on whole pixels: see imgui_new_frame
  config.OversampleV = 1;
  config.PixelSnapH = true;
  return config;
}

void imgui_render(sf::RenderWindow& window) {
  ImGui::Render();
  window.pushGLStates();
  ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
  window.popGLStates();
  // After ImGui's own OpenGL calls, SFML's record of the OpenGL state is not to be
  // trusted: reset, SFML sets every state afresh before it draws again. Without this the
  // kept picture of a settled network was drawn blank (tests/viz/check_viewer.py window).
  window.resetGLStates();
}

}  // namespace ripple::viz
