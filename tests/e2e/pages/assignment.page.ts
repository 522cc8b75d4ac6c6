import type { Locator, Page } from 'playwright-core';

/** The "Assigned doctors" card of a patient's profile and its dialogs. */
export class AssignmentPage {
  constructor(private readonly page: Page) {}

  get card(): Locator {
    return this.page.getByRole('region', { name: 'Assigned doctors' });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Assign a doctor/ });
  }

  get ranked(): Locator {
    return this.dialog.getByRole('list', { name: 'Ranked doctors' });
  }

  async openAssign(): Promise<void> {
    await this.card.getByRole('button', { name: 'Assign doctor' }).click();
    await this.dialog.waitFor();
  }

  async chooseNeed(specialization: string): Promise<void> {
    await this.dialog.getByLabel('Need (optional)').click();
    await this.page.getByRole('option', { name: specialization, exact: true }).click();
  }

  /** The ranked entry of a doctor. */
  suggestion(doctorName: string): Locator {
    return this.ranked.getByRole('button', { name: new RegExp(`^\\d+\\. ${doctorName}`) });
  }
}
