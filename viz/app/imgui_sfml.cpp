// The SFML side of ImGui, written here because Debian packages no imgui-sfml.
#include "imgui_sfml.hpp"

#include <imgui.h>
#include <imgui_impl_opengl2.h>

#include <SFML/Window/Keyboard.hpp>
#include <SFML/Window/Mouse.hpp>

namespace ripple::viz {

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
  ImGui_ImplOpenGL2_Init();
  const sf::Vector2u size = window.getSize();
  io.DisplaySize = ImVec2(static_cast<float>(size.x), static_cast<float>(size.y));
}

void imgui_shutdown() {
  ImGui_ImplOpenGL2_Shutdown();
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
  ImGui_ImplOpenGL2_NewFrame();
  ImGui::NewFrame();
}

void imgui_render(sf::RenderWindow& window) {
  ImGui::Render();
  window.pushGLStates();
  ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
  window.popGLStates();
}

}  // namespace ripple::viz
