// Loaded on first use (parts.ts): what a user's scenario needs — zod's parser, and a share
// link's inflate and deflate (fflate). A preset opens without it.
export { parseScenario, parseScenarioText, ScenarioError, scenarioSchema } from '../engine/scenario';
export { decodeScenario, encodeScenario, MAX_PAYLOAD_CHARS } from '../engine/share';
