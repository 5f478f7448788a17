/**
 * Compile-time checks that the protocol's closed unions equal the engine's: a status added to one
 * and not the other fails the build here, before a client meets a value it cannot parse.
 */
import type * as engine from '@rampart/engine';
import type * as protocol from '@rampart/protocol';
import type * as store from '@rampart/store';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ProtocolParity = [
  Assert<Same<engine.DeploymentStatus, protocol.DeploymentStatus>>,
  Assert<Same<engine.StageStatus, protocol.StageStatus>>,
  Assert<Same<engine.StageWaitReason, protocol.StageWaitReason>>,
  Assert<Same<engine.StepStatus, protocol.StepStatus>>,
  Assert<Same<engine.BuildStatus, protocol.BuildStatus>>,
  Assert<Same<engine.RollbackKind, protocol.RollbackKind>>,
  Assert<Same<engine.RollbackStatus, protocol.RollbackStatus>>,
  Assert<Same<engine.BlockerKind, protocol.BlockerKind>>,
  Assert<Same<engine.ManualBlockerOrigin, protocol.ManualBlockerOrigin>>,
  Assert<Same<engine.AlarmState, protocol.AlarmState>>,
  Assert<Same<engine.ApprovalKind, protocol.ApprovalKind>>,
  Assert<Same<engine.OperationRejectionCode, protocol.OperationRejectionCode>>,
  Assert<Same<engine.OperationKind, protocol.OperationKind>>,
  Assert<Same<store.ApiTokenRole, protocol.ApiRole>>,
];
