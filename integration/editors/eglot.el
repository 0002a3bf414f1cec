;;; freethreading-clangd for Eglot (Emacs 29+): C and C++ buffers use it.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((c-mode c-ts-mode c++-mode c++-ts-mode)
                 . ("/usr/local/bin/freethreading-clangd" "--background-index"))))
