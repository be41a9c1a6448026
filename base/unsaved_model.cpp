#include "unsaved_model.h"

namespace vae {

UnsavedModel::CloseStep UnsavedModel::closeRequested(bool mayAsk) {
    if (!saveThenClosePath_.isEmpty()) {
        // The second close, after the save before closing ended: a failed save keeps the window.
        if (unsaved_) {
            saveThenClosePath_.clear();
            return CloseStep::StayOpen;
        }
        return CloseStep::Close;
    }
    return unsaved_ && mayAsk ? CloseStep::Ask : CloseStep::Close;
}

}  // namespace vae
