-- freethreading-clangd in place of clangd.
-- Neovim 0.11 and later (built-in LSP configuration):
vim.lsp.config('clangd', {
  cmd = { '/usr/local/bin/freethreading-clangd', '--background-index' },
})
vim.lsp.enable('clangd')

-- Older Neovim with nvim-lspconfig: use this instead of the lines above.
-- require('lspconfig').clangd.setup({
--   cmd = { '/usr/local/bin/freethreading-clangd', '--background-index' },
-- })
