import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_DETECTION_SETTINGS, DetectionSettings, DetectionSettingsDto, DetectionSettingsView } from './detection-settings';
import { DetectionSettingsEntity } from './detection-settings.entity';

@Injectable()
export class DetectionSettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(ws: string, m?: EntityManager): Promise<DetectionSettingsView> {
    const row = await (m ?? this.db.manager).getRepository(DetectionSettingsEntity).findOneBy({ workspaceId: ws });
    if (!row) return { ...DEFAULT_DETECTION_SETTINGS, customized: false };
    const { workspaceId: _ws, updatedAt: _u, ...settings } = row;
    return { ...settings, customized: true };
  }

  async put(ws: string, dto: DetectionSettingsDto): Promise<DetectionSettingsView> {
    const { customized: _c, ...current } = await this.get(ws);
    const next: DetectionSettings = { ...current, ...Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) };
    await this.db.getRepository(DetectionSettingsEntity).upsert({ workspaceId: ws, ...next }, ['workspaceId']);
    return { ...next, customized: true };
  }
}
