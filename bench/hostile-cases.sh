# The cases of bench/hostile-inputs.sh (sourced there: $VAE, $CK, ${T[@]}, try, listener).
# shellcheck shell=bash

echo "== train's options"
for bad in abc -1 0 1e30 nan inf "" 99999999999999999999; do
    try refuse --epochs -- "$VAE" train --epochs "$bad" --out n
    try refuse --batch-size -- "$VAE" train --batch-size "$bad" --out n
    try refuse --latent-dim -- "$VAE" train --latent-dim "$bad" --out n
done
for bad in abc -1 0 nan inf 1e309; do try refuse --lr -- "$VAE" train --lr "$bad" --out n; done
for bad in abc -1 nan; do try refuse --beta -- "$VAE" train --beta "$bad" --out n; done
for bad in 0 -0.5 nan; do try refuse --sigma -- "$VAE" train --sigma "$bad" --out n; done
for bad in 0 1 -1 nan 2; do try refuse --test-fraction -- "$VAE" train --test-fraction "$bad" --out n; done
for bad in 3 513 99999 abc; do try refuse --image-size -- "$VAE" train --image-size "$bad" --out n; done
for bad in -1 99999 abc; do try refuse --threads -- "$VAE" train --threads "$bad" --out n; done
try either --hidden -- "$VAE" "${T[@]}" --hidden "" --out n  # no hidden layer: a linear VAE
for bad in 0 -5 16,,16 a,b 16, 2147483648 16384,16384,16384,16384,16384,16384,16384,16384; do
    try refuse --hidden -- "$VAE" train --hidden "$bad" --out n
done
try refuse --decoder-hidden -- "$VAE" train --decoder-hidden 0 --out n
try refuse --conv-channels -- "$VAE" train --arch conv --conv-channels 0 --out n
try refuse --conv-channels -- "$VAE" train --arch conv --conv-channels 8,8,8,8,8,8,8,8,8 --out n
try refuse --arch -- "$VAE" train --arch transformer --out n
try refuse --activation -- "$VAE" train --activation gelu --out n
try refuse --likelihood -- "$VAE" train --likelihood poisson --out n
try refuse --binarize -- "$VAE" train --binarize maybe --out n
try refuse --device -- "$VAE" train --device tpu --out n
try either --device -- "$VAE" "${T[@]}" --device cuda --out n
try refuse --preset -- "$VAE" train --preset imagenet --out n
for bad in 5 x:1 5:x -1:1 5:-1 "5:1,3:2"; do try refuse --beta-changes -- "$VAE" train --beta-changes "$bad" --out n; done
for bad in -1 abc 1e30; do try refuse --warmup-epochs -- "$VAE" train --warmup-epochs "$bad" --out n; done
try refuse --free-bits -- "$VAE" train --free-bits -1 --out n
try refuse --lr-decay -- "$VAE" train --lr-decay 0 --out n
try refuse --lr-decay-every -- "$VAE" train --lr-decay-every 0 --out n
try refuse --seed -- "$VAE" train --seed abc --out n
try refuse frobnicate -- "$VAE" train --frobnicate --out n
try refuse --out -- "$VAE" train --epochs 1
try refuse --out -- "$VAE" train --out
try refuse --out -- "$VAE" train --out ""
try refuse --dataset -- "$VAE" train --dataset "" --out n
try refuse nosuchset -- "$VAE" train --dataset nosuchset --out n
try refuse /nonexistent -- "$VAE" train --dataset /nonexistent/dir --out n
touch a-file
try refuse a-file -- "$VAE" "${T[@]}" --out a-file
try refuse /proc -- "$VAE" "${T[@]}" --out /proc/vae-run
try refuse /proc/x.gif -- "$VAE" "${T[@]}" --timeline-gif /proc/x.gif --out n
try accept "" -- "$VAE" --help
try accept "" -- "$VAE" train --help
try refuse frobnicate -- "$VAE" frobnicate
try refuse --world-size -- "$VAE" "${T[@]}" --world-size 0 --out n
try refuse --rank -- "$VAE" "${T[@]}" --world-size 2 --rank 2 --master 127.0.0.1:29999 --out n
try refuse --master -- "$VAE" "${T[@]}" --world-size 2 --rank 1 --master 127.0.0.1 --out n
try refuse --master -- "$VAE" "${T[@]}" --world-size 2 --rank 1 --master 127.0.0.1:70000 --out n
try refuse --master -- "$VAE" "${T[@]}" --world-size 2 --rank 1 --master :29999 --out n
try refuse --dist-timeout -- "$VAE" "${T[@]}" --dist-timeout 0 --out n

echo "== run files"
for f in rf-*.json; do
    case $f in
        rf-good.json | rf-unknown-key.json | rf-bom.json | rf-hidden-empty.json) expect=either ;;
        rf-missing-keys.json) expect=warn ;;
        *) expect=refuse ;;
    esac
    word=$f
    case $f in rf-missing-keys.json) word=hidden ;; rf-dataset-missing.json) word=/nonexistent/folder ;; esac
    try --new n "$expect" "$word" -- "$VAE" train --config "$f" --out n
done
try refuse /dev/zero -- "$VAE" train --config /dev/zero --out n
try refuse missing.json -- "$VAE" train --config missing.json --out n
try refuse good -- "$VAE" train --config good --out n
mkfifo rf-fifo.json
try refuse rf-fifo.json -- "$VAE" train --config rf-fifo.json --out n
try either run.json -- "$VAE" train --config good/run.json --out n

echo "== checkpoints: eval, encode, interpolate, train --resume"
for f in ck-*.pt format*.pt checkpoint-*.pt setstate-2gb.pt torchscript-parser-segv.pt unpickler-segv.pt; do
    expect=refuse
    [[ $f == format* || $f == ck-appended.pt ]] && expect=either
    try "$expect" "$f" -- "$VAE" eval --checkpoint "$f" -k 1 --images 10
done
for f in ck-truncated-50pct.pt ck-random.pt checkpoint-huge-hidden-layers.pt checkpoint-4gb-allocation.pt; do
    try --new enc.csv refuse "$f" -- "$VAE" encode --checkpoint "$f" --out enc.csv
    try --new walk.png refuse "$f" -- "$VAE" interpolate --checkpoint "$f" --from-index 0 --to-index 1 --out walk.png
    cp -a good r-resume
    try --keep r-resume refuse "$f" -- "$VAE" train --resume "$f" --epochs 2 --out r-resume
    rm -rf r-resume
done
try refuse /dev/zero -- "$VAE" eval --checkpoint /dev/zero
try refuse /dev/null -- "$VAE" eval --checkpoint /dev/null
try refuse good -- "$VAE" eval --checkpoint good
try refuse missing.pt -- "$VAE" eval --checkpoint missing.pt
ln -sf loop-b.pt loop-a.pt && ln -sf loop-a.pt loop-b.pt
try refuse loop-a.pt -- "$VAE" eval --checkpoint loop-a.pt
truncate -s 5G sparse-5g.pt
try refuse sparse-5g.pt -- "$VAE" eval --checkpoint sparse-5g.pt
rm -f sparse-5g.pt
mkfifo ck-fifo.pt
(head -c 1500M /dev/zero >ck-fifo.pt 2>/dev/null) &
helpers+=($!)
try refuse ck-fifo.pt -- "$VAE" eval --checkpoint ck-fifo.pt

echo "== encode, eval and interpolate options"
for bad in 0 -1 abc 99999999999 1e30; do
    try --new enc.csv refuse --count -- "$VAE" encode --checkpoint "$CK" --count "$bad" --out enc.csv
    try refuse -k -- "$VAE" eval --checkpoint "$CK" -k "$bad"
    try refuse --images -- "$VAE" eval --checkpoint "$CK" --images "$bad"
    try refuse --batch-size -- "$VAE" eval --checkpoint "$CK" --batch-size "$bad"
done
try refuse --out -- "$VAE" encode --checkpoint "$CK"
try refuse /proc -- "$VAE" encode --checkpoint "$CK" --out /proc/enc.csv
try refuse nofolder -- "$VAE" encode --checkpoint "$CK" --out nofolder/enc.csv
try refuse --checkpoint -- "$VAE" encode --out enc.csv
try refuse idx-size-differs -- "$VAE" encode --checkpoint "$CK" --dataset idx-size-differs --out enc.csv
try accept "" -- "$VAE" encode --checkpoint "$CK" --dataset idx-good --count 50 --out enc.csv
try refuse idx-size-differs -- "$VAE" eval --checkpoint good-conv/checkpoint.pt --dataset idx-size-differs
for bad in 1e308,1e308 1,2,3 1 abc,1 nan,0 inf,0 "" ,; do
    try --new w.png refuse --from -- "$VAE" interpolate --checkpoint "$CK" --from "$bad" --to 0,0 --out w.png
done
for bad in -1 10000 abc 99999999999; do
    try --new w.png refuse --from-index -- "$VAE" interpolate --checkpoint "$CK" --from-index "$bad" --to-index 1 --out w.png
done
for option in "--steps 1" "--steps 65" "--scale 0" "--scale 17" "--delay 5" "--loops 70000" "--mode spline"; do
    read -r name value <<<"$option"
    try --new w.gif refuse "$name" -- "$VAE" interpolate --checkpoint "$CK" --from 0,0 --to 1,1 "$name" "$value" --out w.gif
done
try refuse --out -- "$VAE" interpolate --checkpoint "$CK" --from 0,0 --to 1,1 --out w.bmp
try refuse --to -- "$VAE" interpolate --checkpoint "$CK" --from 0,0 --out w.png
try refuse /proc -- "$VAE" interpolate --checkpoint "$CK" --from 0,0 --to 1,1 --out /proc/w.gif
try accept "" -- "$VAE" interpolate --checkpoint good-conv/checkpoint.pt --from 0,0 --to 3,-3 --out w.gif

echo "== IDX folders"
for d in idx-*/; do
    d=${d%/}
    expect=refuse
    case $d in idx-good | idx-good-gz | idx-labels-255 | idx-trailing-bytes) expect=either ;; esac
    try --new n "$expect" "$d" -- "$VAE" train --dataset "$d" --epochs 1 --hidden 16 --threads 1 --out n
done

echo "== image folders"
for d in img-*/; do
    d=${d%/}
    expect=refuse
    case $d in img-good | img-one-class | img-non-utf8 | img-test-subfolder | img-deep | img-many-classes | \
        img-rgba-png | img-rgb-png | img-16bit-png | img-palette-png | img-wide-rgb-png) expect=either ;;
        img-zero-byte | img-truncated-png | img-text-as-png | img-huge-*-header* | img-huge-header-png | \
        img-wide-png) expect=warn ;;
    esac
    word=$d
    [[ $expect == warn ]] && word=odd.png
    try --new n "$expect" "$word" -- "$VAE" train --dataset "$d" --epochs 1 --hidden 16 --threads 1 --out n
done
# Not hostile but the largest model an image folder allows: 512x512 inputs make an MLP of 8.4 M
# weights even at --hidden 16, whose weights, gradients and Adam state are 134 MB and whose
# checkpoint is 100 MB, on top of the 170 MB the program takes before any data.
try --rss 480 either --image-size -- "$VAE" train --dataset img-good --image-size 512 --epochs 1 --hidden 16 --threads 1 --out n
try either img-good -- "$VAE" train --dataset img-good --image-size 4 --epochs 1 --hidden 16 --threads 1 --out n
for mode in auto gray rgb; do
    for fit in crop squash; do
        try either img-rgb-png -- "$VAE" train --dataset img-rgb-png --color "$mode" --fit "$fit" --epochs 1 --hidden 16 \
            --threads 1 --out n
    done
done
try refuse --color -- "$VAE" train --dataset img-good --color cmyk --out n
try refuse --fit -- "$VAE" train --dataset img-good --fit stretch --out n
if command -v convert >/dev/null; then  # ImageMagick writes the CMYK JPEG that Qt must read or name
    image_class_folder_cmyk() { mkdir -p img-cmyk/a img-cmyk/b; cp img-good/a/*.png img-cmyk/a/; cp img-good/b/*.png img-cmyk/b/
        convert -size 12x12 xc:orange -colorspace CMYK img-cmyk/a/cmyk.jpg; }
    image_class_folder_cmyk
    try either img-cmyk -- "$VAE" train --dataset img-cmyk --epochs 1 --hidden 16 --threads 1 --out n
fi
"$VAE" train --dataset img-rgb-png --color rgb --epochs 1 --hidden 16 --threads 1 --out rgb-run >/dev/null 2>&1
cp -a rgb-run rgb-copy
try --keep rgb-copy refuse img-good -- "$VAE" train --resume rgb-copy/checkpoint.pt --dataset img-good --color gray \
    --epochs 2 --out rgb-copy
try refuse RGB -- "$VAE" eval --checkpoint rgb-run/checkpoint.pt --dataset idx-good
try refuse idx-good -- "$VAE" encode --checkpoint rgb-run/checkpoint.pt --dataset idx-good --out enc.csv
mkdir -p img-special/a img-special/b
for i in 1 2 3 4 5 6 7; do cp img-good/a/$i.png img-special/a/; cp img-good/b/$i.png img-special/b/; done
mkfifo img-special/a/fifo.png
ln -s /dev/zero img-special/b/zero.png
ln -s nowhere.png img-special/b/dangling.png
try --limit 30 warn fifo.png -- "$VAE" train --dataset img-special --epochs 1 --hidden 16 --threads 1 --out n

echo "== launcher variables and fake masters"
for mode in garbage silent never-accept http; do
    listener "$mode"
    try --limit 8 --new n refuse "$port" -- env RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT="$port" \
        "$VAE" "${T[@]}" --dist-timeout 3 --out n
    try --limit 8 --new n refuse "$port" -- "$VAE" "${T[@]}" --world-size 2 --rank 1 \
        --master "127.0.0.1:$port" --dist-timeout 3 --out n
done
try --limit 8 --new n refuse not-a-host.invalid -- env RANK=1 WORLD_SIZE=2 MASTER_ADDR=not-a-host.invalid \
    MASTER_PORT=29581 "$VAE" "${T[@]}" --dist-timeout 3 --out n
closed=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
try --limit 8 --new n refuse "$closed" -- env RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT="$closed" \
    "$VAE" "${T[@]}" --dist-timeout 3 --out n
try --limit 8 --new n refuse 127.0.0.1 -- env RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT="$closed" \
    "$VAE" "${T[@]}" --dist-timeout 3 --out n
for vars in "RANK|RANK=x WORLD_SIZE=2" "RANK|RANK=2 WORLD_SIZE=2" "WORLD_SIZE|RANK=0 WORLD_SIZE=0" \
    "RANK|RANK=-1 WORLD_SIZE=2" "MASTER_PORT|RANK=1 WORLD_SIZE=2 MASTER_PORT=abc" \
    "MASTER_PORT|RANK=1 WORLD_SIZE=2 MASTER_PORT=0" "MASTER_PORT|RANK=1 WORLD_SIZE=2 MASTER_PORT=65536" \
    "MASTER_ADDR|RANK=1 WORLD_SIZE=2 MASTER_ADDR=" "OMPI_COMM_WORLD_RANK|OMPI_COMM_WORLD_RANK=5 OMPI_COMM_WORLD_SIZE=2" \
    "SLURM_NTASKS|SLURM_PROCID=0 SLURM_NTASKS=x"; do
    read -ra assignments <<<"${vars#*|}"
    try --limit 8 --new n refuse "${vars%%|*}" -- env MASTER_ADDR=127.0.0.1 MASTER_PORT="$closed" "${assignments[@]}" \
        "$VAE" "${T[@]}" --dist-timeout 3 --out n
done

echo "== run folders: a failed or killed run leaves them as they were"
cp -a good d-diverge
try --keep d-diverge refuse diverged -- "$VAE" "${T[@]}" --lr 10 --out d-diverge
try --new d-new-diverge refuse diverged -- "$VAE" "${T[@]}" --lr 10 --out d-new-diverge
cp -a good d-killed
try --term 1.5 --keep d-killed either "" -- "$VAE" train --dataset mnist --epochs 50 --hidden 400 --threads 1 --out d-killed
try --term 1.5 --new d-new-killed either "" -- "$VAE" train --dataset mnist --epochs 50 --hidden 400 --threads 1 --out d-new-killed
cp -a good d-resume-diverge
try --keep d-resume-diverge refuse diverged -- "$VAE" train --resume d-resume-diverge/checkpoint.pt --epochs 2 --lr 10 \
    --out d-resume-diverge
cp -a good d-other-data
try --keep d-other-data refuse fashion-mnist -- "$VAE" train --resume d-other-data/checkpoint.pt \
    --dataset fashion-mnist --epochs 2 --out d-other-data
try --keep good refuse idx-good -- "$VAE" train --resume "$CK" --dataset idx-good --epochs 2 --out good
# A full disk: a small tmpfs holding a copy of the good run, filled to the last block (needs root).
mkdir full && mount -t tmpfs -o size=4m tmpfs full && cp -a good/. full/ &&
    { dd if=/dev/zero of=full/filler bs=4k 2>/dev/null; true; }
try --keep full either "" -- "$VAE" train --resume full/checkpoint.pt --epochs 2 --out full
try --new full/fresh refuse full/fresh -- "$VAE" "${T[@]}" --out full/fresh
try --new full/enc.csv refuse full/enc.csv -- "$VAE" encode --checkpoint "$CK" --out full/enc.csv
umount full
