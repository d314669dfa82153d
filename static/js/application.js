// Starts GOV.UK Frontend's components, and those in content htmx swaps in later.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) initAll(event.target);
});
