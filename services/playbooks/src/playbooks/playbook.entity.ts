import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numeric } from '../common/numeric';
import { Condition } from '../domain/conditions';
import { Playbook } from '../domain/evaluation';
import { PlaybookAction } from '../domain/playbook-definition';

@Entity({ name: 'playbook' })
export class PlaybookEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  /** Set on shipped defaults ('usage-drop', …). */
  @Column({ type: 'text', nullable: true }) defaultKey: string | null;
  @Column() name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column() trigger: string;
  @Column({ type: 'jsonb' }) conditions: Condition;
  @Column({ type: 'jsonb' }) actions: PlaybookAction[];
  @Column({ type: 'numeric', transformer: numeric }) cooldownHours: number;
  @Column() enabled: boolean;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

export function toPlaybook(e: PlaybookEntity): Playbook {
  return {
    id: e.id, version: e.version, name: e.name, description: e.description, trigger: e.trigger, conditions: e.conditions,
    actions: e.actions, cooldownHours: e.cooldownHours, enabled: e.enabled,
  };
}
