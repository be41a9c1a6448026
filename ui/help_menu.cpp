#include "help_menu.h"

#include "runtime_info.h"

#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <tuple>

namespace vae {
namespace {

// Keys that belong to a panel rather than to a menu action.
const char* const kPanelKeys[][2] = {
    {"Ctrl+Z", "Drawing pad: undo the last stroke"},
};
// What the mouse does where no menu says so.
const char* const kMouseActions[][2] = {
    {"Click", "Map: decode the spot, or select the test image within 6 px"},
    {"Shift+Click", "Map: decode the spot, even over a test image"},
    {"Drag", "Map: decode as the cursor moves"},
    {"Drop a picture", "Map: place it, encoded, with its ±2σ ellipse"},
    {"Click a cell", "Factors tab: traverse that dimension"},
};

// The README's screenshots are 1400 pixels wide: shown at most as wide as the guide's page, so
// that the text, not a horizontal scroll bar, sets the reading width.
void fitImagesToWidth(QTextBrowser* browser, int width) {
    QTextDocument* document = browser->document();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment) {
            QTextImageFormat image = fragment.fragment().charFormat().toImageFormat();
            if (!image.isValid()) continue;
            const QImage picture = document->resource(QTextDocument::ImageResource, QUrl(image.name())).value<QImage>();
            if (picture.isNull() || picture.width() <= width) continue;
            image.setWidth(width);
            image.setHeight(double(picture.height()) * width / picture.width());
            QTextCursor cursor(document);
            cursor.setPosition(fragment.fragment().position());
            cursor.setPosition(fragment.fragment().position() + fragment.fragment().length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(image);
        }
}

QDialog* dialogWith(QMainWindow* window, const QString& title, QWidget* body, QSize size) {
    auto* dialog = new QDialog(window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(body);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(size);
    dialog->show();
    return dialog;
}

// Every menu action with a shortcut, under its menu's path ("File › Export › Latent grid…").
void collectShortcuts(const QMenu* menu, const QString& path, QTreeWidget* table) {
    for (QAction* action : menu->actions()) {
        const QString name = QString(action->text()).remove('&');
        if (action->menu()) collectShortcuts(action->menu(), path + " › " + name, table);
        else if (!action->shortcut().isEmpty())
            new QTreeWidgetItem(table, {action->shortcut().toString(QKeySequence::NativeText), path + " › " + name});
    }
}

}  // namespace

HelpMenu::HelpMenu(QMainWindow* window) : QObject(window), window_(window) {}

void HelpMenu::addMenu(QMenu* help) {
    help->addAction(tr("&User guide"), this, &HelpMenu::showUserGuide)->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&Keyboard shortcuts"), this, &HelpMenu::showShortcuts);
    help->addSeparator();
    help->addAction(tr("&About VAE Explorer"), this, &HelpMenu::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

QString HelpMenu::userGuidePath() {
    const QString installed = QDir(QCoreApplication::applicationDirPath()).filePath("../share/doc/vae-explorer/README.md");
    if (QFileInfo::exists(installed)) return QFileInfo(installed).canonicalFilePath();
    return QFileInfo::exists(VAE_SOURCE_README) ? QString(VAE_SOURCE_README) : QString();
}

QDialog* HelpMenu::showUserGuide() {
    const QString path = userGuidePath();
    if (path.isEmpty()) {
        QMessageBox::information(window_, tr("User guide"),
                                 tr("The user guide (README.md) is not installed beside this program."));
        return nullptr;
    }
    // QTextBrowser renders Markdown, finds the screenshots beside it, and follows links into docs/.
    auto* browser = new QTextBrowser;
    browser->setOpenExternalLinks(true);
    browser->setSource(QUrl::fromLocalFile(path), QTextDocument::MarkdownResource);
    constexpr int kPageWidth = 840;  // the dialog's 900 less its margins and scroll bar
    fitImagesToWidth(browser, kPageWidth);
    connect(browser, &QTextBrowser::sourceChanged, browser, [browser] { fitImagesToWidth(browser, kPageWidth); });
    // Links lead into docs/: Back and Forward lead out again.
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* navigation = new QHBoxLayout;
    for (const auto& [text, step, available] :
         {std::tuple{tr("← Back"), &QTextBrowser::backward, &QTextBrowser::backwardAvailable},
          std::tuple{tr("Forward →"), &QTextBrowser::forward, &QTextBrowser::forwardAvailable}}) {
        auto* button = new QPushButton(text);
        button->setObjectName(step == &QTextBrowser::backward ? "back" : "forward");
        button->setEnabled(false);
        connect(button, &QPushButton::clicked, browser, step);
        connect(browser, available, button, &QPushButton::setEnabled);
        navigation->addWidget(button);
    }
    navigation->addStretch();
    layout->addLayout(navigation);
    layout->addWidget(browser, 1);
    return dialogWith(window_, tr("VAE Explorer user guide"), page, {900, 700});
}

QDialog* HelpMenu::showShortcuts() {
    auto* table = new QTreeWidget;
    table->setRootIsDecorated(false);
    table->setHeaderLabels({tr("Keys"), tr("Action")});
    for (QAction* action : window_->menuBar()->actions())
        if (action->menu()) collectShortcuts(action->menu(), QString(action->text()).remove('&'), table);
    for (const auto& [keys, what] : kPanelKeys)
        new QTreeWidgetItem(table, {QKeySequence(keys).toString(QKeySequence::NativeText), tr(what)});
    for (const auto& [gesture, what] : kMouseActions) new QTreeWidgetItem(table, {tr(gesture), tr(what)});
    table->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    return dialogWith(window_, tr("Keyboard shortcuts"), table, {560, 480});
}

QString HelpMenu::aboutText() {
    return tr("<h3>VAE Explorer %1</h3>"
              "<p>Train a variational autoencoder and explore its latent space.</p>"
              "<p>Qt %2 (built with %3)<br>LibTorch %4<br>%5</p>"
              "<p>Free software under the GNU General Public License, version 3 or later "
              "(GPL-3.0-or-later). It comes with no warranty.</p>")
        .arg(VAE_EXPLORER_VERSION, qVersion(), QT_VERSION_STR, QString::fromStdString(libTorchVersion()),
             QString::fromStdString(computeBackendReport()).toHtmlEscaped());
}

QDialog* HelpMenu::showAbout() {
    auto* box = new QMessageBox(QMessageBox::NoIcon, tr("About VAE Explorer"), aboutText(), QMessageBox::Close, window_);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIconPixmap(QApplication::windowIcon().pixmap(96, 96));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->show();
    return box;
}

}  // namespace vae
