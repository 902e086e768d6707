// acorn_translations holds only resources (the compiled .qm files, :/i18n); a static
// library needs one source of its own.
namespace acorn::ui::detail {
int translationsLibrary = 0;
} // namespace acorn::ui::detail
