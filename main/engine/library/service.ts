/**
 * The engine side of the `library.*` and `dashboard.*` channels that only touch files: one method per
 * channel, named as the Engine's (`library.list` → `libraryList`), so the Engine delegates in one line each.
 */
import type { Output, ParsedInput } from '../../../preload/contract';
import type { FileRegistry } from '../files';
import type { Library } from './index';

export class LibraryChannels {
  constructor(
    private readonly library: Library,
    private readonly files: FileRegistry,
  ) {}

  async libraryList(input: ParsedInput<'library.list'>): Promise<Output<'library.list'>> {
    return this.library.list(input);
  }

  async libraryGet(input: ParsedInput<'library.get'>): Promise<Output<'library.get'>> {
    return this.library.get(input.id);
  }

  async librarySave(input: ParsedInput<'library.save'>): Promise<Output<'library.save'>> {
    return this.library.save(input.query, input.id);
  }

  async libraryRename(input: ParsedInput<'library.rename'>): Promise<Output<'library.rename'>> {
    return this.library.rename(input.id, input.name);
  }

  async libraryDelete(input: ParsedInput<'library.delete'>): Promise<Output<'library.delete'>> {
    this.library.delete(input.id);
    return { deleted: true };
  }

  async libraryTrust(input: ParsedInput<'library.trust'>): Promise<Output<'library.trust'>> {
    this.library.trust(input.kind, input.id);
    return { trusted: true };
  }

  async libraryImport(input: ParsedInput<'library.import'>): Promise<Output<'library.import'>> {
    if (input.file) return this.library.importFile(this.files.resolve(input.file));
    return this.library.importText(input.text!, input.fileName);
  }

  async libraryExport(input: ParsedInput<'library.export'>): Promise<Output<'library.export'>> {
    return this.library.export(input.items);
  }

  async dashboardList(): Promise<Output<'dashboard.list'>> {
    return this.library.dashboardList();
  }

  async dashboardGet(input: ParsedInput<'dashboard.get'>): Promise<Output<'dashboard.get'>> {
    return this.library.dashboardGet(input.id);
  }

  async dashboardSave(input: ParsedInput<'dashboard.save'>): Promise<Output<'dashboard.save'>> {
    return this.library.dashboardSave(input.dashboard, input.id);
  }

  async dashboardDelete(input: ParsedInput<'dashboard.delete'>): Promise<Output<'dashboard.delete'>> {
    this.library.dashboardDelete(input.id);
    return { deleted: true };
  }

  async dashboardPin(input: ParsedInput<'dashboard.pin'>): Promise<Output<'dashboard.pin'>> {
    return this.library.pin(input);
  }
}
