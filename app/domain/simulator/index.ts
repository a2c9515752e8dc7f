export {
  dailyRunReviewing,
  simulateProgram,
  SimulationInputSchema,
  SimulationOrderSchema,
} from "./simulate";
export type { SimulationInput, SimulationResult, SimulationStep } from "./simulate";
