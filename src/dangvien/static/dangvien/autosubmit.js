// A list marked data-autosubmit submits its form when its choice changes (no inline handlers:
// the Content-Security-Policy allows only the app's own script files).
document.querySelectorAll("[data-autosubmit]").forEach((field) => {
  field.addEventListener("change", () => field.form.submit());
});
