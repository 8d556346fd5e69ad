// Loaded by .mocharc.json before any spec: starts the dev and prod evaluations right away.
import "./stacks";
