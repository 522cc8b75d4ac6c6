import type { Page } from 'playwright-core';

/** The app bar's main navigation: desk screens as buttons, admin screens in the Admin menu. */
export class MainNav {
  constructor(private readonly page: Page) {}

  private get nav() {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  /** Opens a screen by its name, from the bar or from the Admin menu. */
  async open(name: string): Promise<void> {
    const direct = this.nav.getByRole('button', { name, exact: true });
    if ((await direct.count()) > 0) return direct.click();
    await this.nav.getByRole('button', { name: /^(Admin|More)\b/ }).click();
    await this.page.getByRole('menuitem', { name, exact: true }).click();
  }

  /** The names in the Admin menu (none when the menu is not offered). */
  async adminMenuItems(): Promise<string[]> {
    const button = this.nav.getByRole('button', { name: /^(Admin|More)\b/ });
    if ((await button.count()) === 0) return [];
    await button.click();
    const menu = this.page.getByRole('menu');
    await menu.waitFor();
    const names = (await menu.getByRole('menuitem').allTextContents()).map((t) => t.replace(/Alt\+\w$/, '').trim());
    await this.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    return names;
  }
}
