#include "app/gui/fonts.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <unistd.h>

namespace eps::gui {
namespace {
constexpr const char* kDejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float kBaseSize = 15.0f;
constexpr const char* kWqyMicroHei = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
}  // namespace

// Merges the Chinese font into the one just added: the common simplified set plus every
// character the lessons use (some are outside the common set).
bool Fonts::mergeChinese(float scale, const std::string& chineseText) {
  if (::access(kWqyMicroHei, R_OK) != 0) return false;
  ImGuiIO& io = ImGui::GetIO();
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
  builder.AddText(chineseText.c_str());
  builder.AddText("\u201c\u201d\uff1a\uff0c\u3002\uff08\uff09\u2026");
  cjkRanges_.clear();
  builder.BuildRanges(&cjkRanges_);
  ImFontConfig config;
  config.MergeMode = true;
  config.OversampleH = 1;
  config.OversampleV = 1;
  return io.Fonts->AddFontFromFileTTF(kWqyMicroHei, kBaseSize * scale, &config, cjkRanges_.Data) !=
         nullptr;
}

std::string Fonts::ensure(float scale, const std::string& chineseText) {
  if (scale == builtScale_) return "";
  builtScale_ = scale;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  std::string notice;
  if (::access(kDejaVuSans, R_OK) == 0) {
    // Latin plus the few symbols the labels use: arrows, dashes, ellipsis, multiplication.
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
    builder.AddText(
        "\u2190\u2192\u2191\u2193\u2014\u2013\u2026\u00d7\u2264\u2265\u2260\u2713\u2717");
    ranges_.clear();
    builder.BuildRanges(&ranges_);
    ImFontConfig config;
    config.OversampleH = 2;
    io.Fonts->AddFontFromFileTTF(kDejaVuSans, kBaseSize * scale, &config, ranges_.Data);
    chineseLoaded_ = mergeChinese(scale, chineseText);
    if (!chineseLoaded_) notice = "fonts-wqy-microhei is not installed: English only";
  } else {
    ImFontConfig config;
    config.SizePixels = 13.0f * scale;
    io.Fonts->AddFontDefault(&config);
    notice = "fonts-dejavu-core is not installed: using the built-in ASCII font";
  }
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  return notice;
}

}  // namespace eps::gui
