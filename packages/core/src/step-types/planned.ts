/** Step types the format reserves but Rampart does not run yet. */
import type { PlannedStepTypeId } from './step-type-ids.js';

export interface PlannedStepType {
  id: PlannedStepTypeId;
  description: string;
}

export const PLANNED_STEP_TYPES: Readonly<Record<PlannedStepTypeId, PlannedStepType>> = {
  'RAMPART:EKS:DEPLOY': {
    id: 'RAMPART:EKS:DEPLOY',
    description: 'Planned: deploy manifests to an EKS cluster.',
  },
  'RAMPART:EKS:HELM': {
    id: 'RAMPART:EKS:HELM',
    description: 'Planned: install or upgrade a Helm chart on an EKS cluster.',
  },
};
