#include "rosterpage.h"

#include "touch.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QResizeEvent>
#include <QStyle>
#include <QVBoxLayout>

namespace acorn::staff {

// ------------------------------------------------------------------ RosterModel

void RosterModel::setChildren(QList<client::ChildSummary> children)
{
    beginResetModel();
    m_children = std::move(children);
    QSet<QString> refs;
    for (const auto &c : m_children)
        refs.insert(c.ref());
    m_picked.intersect(refs);
    endResetModel();
}

int RosterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_children.size());
}

QVariant RosterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_children.size())
        return {};
    const client::ChildSummary &c = m_children.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return c.name();
    case Qt::AccessibleTextRole:
    case Qt::ToolTipRole: {
        QString text = tr("%1, %2, observations this half term: %3")
                           .arg(c.name(), QString::fromStdString(c.child.class_name()))
                           .arg(c.observations);
        if (c.underObserved)
            text += tr(", needs observing");
        if (m_picked.contains(c.ref()))
            text += tr(", chosen");
        return text;
    }
    case RefRole:
        return c.ref();
    case ClassRole:
        return QString::fromStdString(c.child.class_name());
    case CountRole:
        return c.observations;
    case UnderObservedRole:
        return c.underObserved;
    case InitialsRole: {
        const QString first = QString::fromStdString(c.child.first_name());
        const QString last = QString::fromStdString(c.child.last_name());
        return (first.left(1) + last.left(1)).toUpper();
    }
    case PickedRole:
        return m_picked.contains(c.ref());
    default:
        return {};
    }
}

void RosterModel::setPicked(const QString &ref, bool picked)
{
    if (picked)
        m_picked.insert(ref);
    else
        m_picked.remove(ref);
    for (int i = 0; i < m_children.size(); ++i) {
        if (m_children[i].ref() == ref)
            emit dataChanged(index(i), index(i), { PickedRole, Qt::AccessibleTextRole });
    }
}

void RosterModel::clearPicked()
{
    m_picked.clear();
    if (!m_children.isEmpty())
        emit dataChanged(index(0), index(rowCount() - 1), { PickedRole, Qt::AccessibleTextRole });
}

QStringList RosterModel::picked() const
{
    QStringList out;
    for (const auto &c : m_children) {
        if (m_picked.contains(c.ref()))
            out.append(c.ref());
    }
    return out;
}

// ------------------------------------------------------------------ RosterFilter

void RosterFilter::setClassName(const QString &className)
{
    m_class = className;
    invalidateFilter();
}

void RosterFilter::setSearch(const QString &text)
{
    m_search = text.simplified();
    invalidateFilter();
}

void RosterFilter::setFewestFirst(bool fewestFirst)
{
    m_fewestFirst = fewestFirst;
    invalidate();
    sort(0);
}

bool RosterFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    if (!m_class.isEmpty() && i.data(RosterModel::ClassRole).toString() != m_class)
        return false;
    if (m_search.isEmpty())
        return true;
    const QString name = i.data(Qt::DisplayRole).toString();
    // Every word typed must start a word of the name: "av br" finds Ava Brown.
    const QStringList words = name.split(u' ', Qt::SkipEmptyParts);
    for (const QString &typed : m_search.split(u' ', Qt::SkipEmptyParts)) {
        const bool found = std::any_of(words.cbegin(), words.cend(),
            [&](const QString &w) { return w.startsWith(typed, Qt::CaseInsensitive); });
        if (!found)
            return false;
    }
    return true;
}

bool RosterFilter::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (m_fewestFirst) {
        const int l = left.data(RosterModel::CountRole).toInt();
        const int r = right.data(RosterModel::CountRole).toInt();
        if (l != r)
            return l < r;
    }
    return left.row() < right.row(); // the model is already in class and name order
}

// ------------------------------------------------------------------ RosterDelegate

RosterDelegate::RosterDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QSize RosterDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return m_tile;
}

void RosterDelegate::paint(
    QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = option.palette;
    const bool picked = index.data(RosterModel::PickedRole).toBool();
    const bool under = index.data(RosterModel::UnderObservedRole).toBool();
    const QRectF tile = QRectF(option.rect).adjusted(4, 4, -4, -4);
    QPainterPath shape;
    shape.addRoundedRect(tile, 8, 8);
    p->fillPath(shape, pal.brush(QPalette::Base));
    p->setPen(
        QPen(picked ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), picked ? 3 : 1));
    p->drawPath(shape);
    if (option.state & QStyle::State_HasFocus) {
        p->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DashLine));
        p->drawRoundedRect(tile.adjusted(3, 3, -3, -3), 6, 6);
    }

    const qreal margin = 10;
    const qreal avatar = std::min<qreal>(tile.height() - 2 * margin, 64);
    const QRectF circle(
        tile.left() + margin, tile.top() + (tile.height() - avatar) / 2, avatar, avatar);
    const QString ref = index.data(RosterModel::RefRole).toString();
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    QColor fill = QColor::fromHsl(static_cast<int>(qHash(ref) % 360), 120, dark ? 90 : 170);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawEllipse(circle);
    QFont f = option.font;
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.25);
    p->setFont(f);
    p->setPen(dark ? Qt::white : Qt::black);
    p->drawText(circle, Qt::AlignCenter, index.data(RosterModel::InitialsRole).toString());
    if (picked) {
        const qreal s = avatar * 0.45;
        const QRectF badge(circle.right() - s * 0.8, circle.top() - s * 0.1, s, s);
        p->setBrush(pal.color(QPalette::Highlight));
        p->drawEllipse(badge);
        QPen tick(pal.color(QPalette::HighlightedText), 2.5);
        p->setPen(tick);
        p->drawPolyline(QPolygonF({ badge.topLeft() + QPointF(s * 0.25, s * 0.52),
            badge.topLeft() + QPointF(s * 0.43, s * 0.7),
            badge.topLeft() + QPointF(s * 0.76, s * 0.32) }));
    }

    const qreal textLeft = circle.right() + margin;
    const qreal textWidth = tile.right() - margin - textLeft;
    QFont nameFont = option.font;
    nameFont.setBold(true);
    const QFontMetricsF nameMetrics(nameFont);
    const QFontMetricsF metrics(option.font);
    const qreal lineGap = 2;
    qreal y = tile.top() + margin;
    p->setFont(nameFont);
    p->setPen(pal.color(QPalette::Text));
    p->drawText(QRectF(textLeft, y, textWidth, nameMetrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        nameMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, textWidth));
    y += nameMetrics.height() + lineGap;
    p->setFont(option.font);
    p->setPen(pal.color(QPalette::PlaceholderText));
    p->drawText(QRectF(textLeft, y, textWidth, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(
            index.data(RosterModel::ClassRole).toString(), Qt::ElideRight, textWidth));
    y += metrics.height() + lineGap;
    const int count = index.data(RosterModel::CountRole).toInt();
    const QString countText
        = count == 0 ? tr("None this half term") : tr("This half term: %1").arg(count);
    if (under) {
        const QString badge = tr("Needs observing");
        const qreal w = std::min(metrics.horizontalAdvance(badge) + 12, textWidth);
        const QRectF r(textLeft, y, w, metrics.height() + 2);
        p->setPen(Qt::NoPen);
        p->setBrush(pal.color(QPalette::Highlight));
        p->drawRoundedRect(r, 4, 4);
        p->setPen(pal.color(QPalette::HighlightedText));
        p->drawText(r, Qt::AlignCenter, metrics.elidedText(badge, Qt::ElideRight, w - 8));
        y += r.height() + lineGap;
        p->setPen(pal.color(QPalette::Text));
    } else {
        p->setPen(pal.color(QPalette::Text));
    }
    p->drawText(QRectF(textLeft, y, textWidth, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(countText, Qt::ElideRight, textWidth));
    p->restore();
}

// ------------------------------------------------------------------ RosterPage

RosterPage::RosterPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new RosterModel(this))
    , m_filter(new RosterFilter(this))
    , m_delegate(new RosterDelegate(this))
    , m_view(new QListView(this))
    , m_class(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_sort(new QComboBox(this))
    , m_period(new QLabel(this))
    , m_empty(new QLabel(this))
    , m_choose(new QPushButton(tr("C&hoose children"), this))
    , m_observePicked(new QPushButton(this))
{
    setObjectName(QStringLiteral("rosterPage"));
    m_filter->setSourceModel(m_model);
    m_filter->sort(0);
    m_view->setObjectName(QStringLiteral("rosterView"));
    m_view->setAccessibleName(tr("Children"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(m_delegate);
    m_view->setViewMode(QListView::ListMode);
    m_view->setFlow(QListView::LeftToRight);
    m_view->setWrapping(true);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setFrameShape(QFrame::NoFrame);
    ui::enableKineticScrolling(m_view);

    m_class->setObjectName(QStringLiteral("classFilter"));
    m_class->setAccessibleName(tr("Class"));
    m_search->setObjectName(QStringLiteral("rosterSearch"));
    m_search->setAccessibleName(tr("Search by name"));
    m_search->setPlaceholderText(tr("Search by name"));
    m_search->setClearButtonEnabled(true);
    m_sort->setObjectName(QStringLiteral("rosterSort"));
    m_sort->setAccessibleName(tr("Order"));
    m_sort->addItem(tr("By name"));
    m_sort->addItem(tr("Fewest observations first"));
    m_period->setObjectName(QStringLiteral("rosterPeriod"));
    m_period->setWordWrap(true);
    m_empty->setObjectName(QStringLiteral("rosterEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide();
    m_choose->setObjectName(QStringLiteral("chooseChildren"));
    m_choose->setCheckable(true);
    m_choose->setAccessibleName(tr("Choose several children for one observation"));
    m_observePicked->setObjectName(QStringLiteral("observePicked"));
    m_observePicked->setAccessibleName(tr("New observation for the chosen children"));

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 2);
    filters->addWidget(m_class, 1);
    filters->addWidget(m_sort, 1);
    auto *chooseBar = new QHBoxLayout;
    chooseBar->addWidget(m_period, 1);
    chooseBar->addWidget(m_choose);
    chooseBar->addWidget(m_observePicked);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addLayout(chooseBar);
    layout->addWidget(m_empty);
    layout->addWidget(m_view, 1);

    connect(m_class, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setClassName(m_class->currentData().toString());
        m_empty->setVisible(m_filter->rowCount() == 0);
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_filter->setSearch(t);
        m_empty->setText(tr("No child matches “%1”.").arg(t));
        m_empty->setVisible(m_filter->rowCount() == 0);
    });
    connect(m_sort, &QComboBox::currentIndexChanged, this,
        [this](int i) { m_filter->setFewestFirst(i == 1); });
    connect(m_view, &QListView::clicked, this, &RosterPage::onActivated);
    m_view->installEventFilter(this); // Enter and Space act like a tap
    m_view->viewport()->installEventFilter(this); // tiles follow the width (portrait, landscape)
    connect(m_choose, &QPushButton::toggled, this, &RosterPage::setChoosing);
    connect(m_observePicked, &QPushButton::clicked, this, [this] {
        const QStringList refs = m_model->picked();
        setChoosing(false);
        emit observeRequested(refs);
    });
    ui::makeTouchFriendly(this);
    updateChooseBar();
}

void RosterPage::setRoster(
    const QList<client::ChildSummary> &children, const client::CountingPeriod &period)
{
    m_model->setChildren(children);
    m_filter->invalidate();
    m_filter->sort(0);
    QStringList classes;
    for (const auto &c : children) {
        const QString name = QString::fromStdString(c.child.class_name());
        if (!classes.contains(name))
            classes.append(name);
    }
    const QString current = m_class->currentData().toString();
    m_class->blockSignals(true);
    m_class->clear();
    m_class->addItem(tr("All classes"), QString());
    for (const QString &c : classes)
        m_class->addItem(c, c);
    m_class->setCurrentIndex(std::max(0, m_class->findData(current)));
    m_class->setVisible(classes.size() > 1);
    m_class->blockSignals(false);
    m_filter->setClassName(m_class->currentData().toString());
    m_period->setText(period.fromCalendar ? tr("Observations in %1 so far").arg(period.name)
                                          : tr("Observations in %1").arg(period.name));
    if (children.isEmpty()) {
        m_empty->setText(tr("No children yet. Your classes appear here after the first sync."));
        m_empty->show();
    } else {
        m_empty->setVisible(m_filter->rowCount() == 0);
    }
    updateChooseBar();
}

QStringList RosterPage::visibleRefs() const
{
    QStringList out;
    for (int i = 0; i < m_filter->rowCount(); ++i)
        out.append(m_filter->index(i, 0).data(RosterModel::RefRole).toString());
    return out;
}

void RosterPage::setChoosing(bool choosing)
{
    m_choosing = choosing;
    if (!choosing)
        m_model->clearPicked();
    m_choose->blockSignals(true);
    m_choose->setChecked(choosing);
    m_choose->blockSignals(false);
    updateChooseBar();
}

void RosterPage::updateChooseBar()
{
    const qsizetype n = m_model->picked().size();
    m_choose->setText(m_choosing ? tr("Stop choosing") : tr("C&hoose children"));
    m_observePicked->setVisible(m_choosing);
    m_observePicked->setEnabled(n > 0);
    m_observePicked->setText(tr("New observation (%1 chosen)").arg(n));
}

void RosterPage::activateRef(const QString &ref)
{
    for (int i = 0; i < m_filter->rowCount(); ++i) {
        const QModelIndex idx = m_filter->index(i, 0);
        if (idx.data(RosterModel::RefRole).toString() == ref) {
            onActivated(idx);
            return;
        }
    }
}

void RosterPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void RosterPage::onActivated(const QModelIndex &proxyIndex)
{
    const QString ref = proxyIndex.data(RosterModel::RefRole).toString();
    if (ref.isEmpty())
        return;
    if (m_choosing) {
        m_model->setPicked(ref, !proxyIndex.data(RosterModel::PickedRole).toBool());
        updateChooseBar();
        return;
    }
    emit childActivated(ref);
}

bool RosterPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        layoutTiles();
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Space)
            && m_view->currentIndex().isValid()) {
            onActivated(m_view->currentIndex());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void RosterPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutTiles();
}

void RosterPage::layoutTiles()
{
    // Tiles of about 70 x 24 mm, stretched so that the columns fill the width.
    const int minWidth = ui::millimetres(this, 70);
    // Leave room for a scroll bar: QListView lays out as if one may appear.
    const int scrollBar = m_view->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, m_view);
    const int available = std::max(minWidth, m_view->viewport()->width() - scrollBar - 4);
    const int columns = std::max(1, available / minWidth);
    m_delegate->setTileSize(
        QSize(available / columns, std::max(ui::millimetres(this, 24), ui::touchTarget(this) * 2)));
    m_view->setGridSize(QSize());
    m_view->doItemsLayout();
}

} // namespace acorn::staff
